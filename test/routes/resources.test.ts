// RFC 8707 resource indicators end to end: /authorize, the code exchange, refresh, client credentials, introspection.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { decideDevice, startDevice } from '../helpers/device.ts';
import {
  authorizeUrl, basic, call, callWithEnv, createClient, createDeviceClient, createUser, formAs, hiddenTx, ISSUER, postLogin, type TestClient, type TestUser,
} from '../helpers/fixtures.ts';
import { expectOAuthError, expectRedirectError, loginAndAllow, refresh, userinfo, type TokenResponse } from '../helpers/flow.ts';

const A = 'https://a.example.com/mcp';
const B = 'https://b.example.com';
const C = 'urn:example:reports';

function withResources(url: string, resources: string[]): string {
  return url + resources.map((r) => `&resource=${encodeURIComponent(r)}`).join('');
}

/** /authorize with the given resources, then the login form: the code. */
async function codeFor(client: TestClient, user: TestUser, resources: string[], params: Record<string, string> = {}): Promise<string> {
  const page = await call(withResources(authorizeUrl(client, params), resources));
  expect(page.status).toBe(200);
  const login = await postLogin(hiddenTx(await page.text()), user.username, user.password);
  expect(login.status).toBe(303);
  return new URL(login.headers.get('Location')!).searchParams.get('code')!;
}

/** POST /token as the client, with a body that may repeat `resource`. */
function token(client: TestClient, body: Record<string, string>, resources: string[] = []): Promise<Response> {
  const search = new URLSearchParams(body);
  for (const r of resources) search.append('resource', r);
  return call('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
    body: search.toString(),
  });
}

function redeem(client: TestClient, code: string, resources: string[] = []): Promise<Response> {
  return token(client, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, resources);
}

async function accessAud(res: Response): Promise<unknown> {
  expect(res.status).toBe(200);
  return decodeJwt((await res.json<TokenResponse>()).access_token).aud;
}

/** A client whose default resource (audience) is B, registered for A and C too. */
function resourceClient(overrides: Parameters<typeof createClient>[0] = {}): Promise<TestClient> {
  return createClient({ audience: B, resources: [A, C], ...overrides });
}

describe('/authorize with resource (RFC 8707 §2.1)', () => {
  it('gives a token for resource A the audience A only, not the default B, nor the issuer without openid', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A], { scope: 'profile' });
    expect(await accessAud(await redeem(client, code))).toBe(A);
  });

  it('adds the issuer for openid so /userinfo still answers, and still leaves B out', async () => {
    const client = await resourceClient();
    const res = await redeem(client, await codeFor(client, await createUser(), [A]));
    const tokens = await res.json<TokenResponse>();
    expect(decodeJwt(tokens.access_token).aud).toEqual([A, ISSUER]);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
  });

  it('gives several resources as an array', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A, C], { scope: 'profile' });
    expect(await accessAud(await redeem(client, code))).toEqual([A, C]);
  });

  it('uses the registered audience as the default resource when none is asked', async () => {
    const client = await resourceClient();
    expect(await accessAud(await redeem(client, await codeFor(client, await createUser(), [], { scope: 'profile' })))).toBe(B);
    expect(await accessAud(await redeem(client, await codeFor(client, await createUser(), [])))).toEqual([B, ISSUER]);
  });

  it.each<[string, string[]]>([
    ['one forbidden resource among allowed ones', [A, 'https://evil.example']],
    ['a resource with a fragment', [`${A}#frag`]],
    ['a relative resource', ['mcp']],
    ['a resource differing by a trailing slash', [`${A}/`]],
  ])('redirects invalid_target for %s, with state and iss', async (_, resources) => {
    const client = await resourceClient();
    const res = await call(withResources(authorizeUrl(client), resources));
    expectRedirectError(res, client, 'invalid_target');
  });

  it('keeps the resource through the consent page of a third-party client', async () => {
    const client = await resourceClient({ firstParty: false });
    const { allowed } = await loginAndAllow(client, await createUser(), { scope: 'profile', resource: C });
    expect(allowed.status).toBe(303);
    const code = new URL(allowed.headers.get('Location')!).searchParams.get('code')!;
    expect(await accessAud(await redeem(client, code))).toBe(C);
  });

  it('allows a resource the deployment allows every client (ALLOWED_RESOURCES)', async () => {
    const client = await createClient({ scopes: ['profile'] });
    const url = withResources(authorizeUrl(client, { scope: 'profile' }), ['https://shared.example/api']);
    expectRedirectError(await call(url), client, 'invalid_target');
    const page = await callWithEnv({ ALLOWED_RESOURCES: 'https://other.example https://shared.example/api' }, url);
    expect(page.status).toBe(200);
    const user = await createUser();
    const login = await postLogin(hiddenTx(await page.text()), user.username, user.password);
    const code = new URL(login.headers.get('Location')!).searchParams.get('code')!;
    expect(await accessAud(await redeem(client, code))).toBe('https://shared.example/api');
  });
});

describe('/token with resource (RFC 8707 §2.2)', () => {
  it('narrows the code exchange to a granted resource', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A, C], { scope: 'profile' });
    expect(await accessAud(await redeem(client, code, [C]))).toBe(C);
  });

  it('refuses a resource the code was not granted with invalid_target, and the code stays unredeemed', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A], { scope: 'profile' });
    await expectOAuthError(await redeem(client, code, [C]), 400, 'invalid_target');
    await expectOAuthError(await redeem(client, code, ['not a uri']), 400, 'invalid_target');
    expect(await accessAud(await redeem(client, code))).toBe(A);
  });

  it('lets a refresh narrow the resources, never widen them; a widening attempt leaves the token usable', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A, C], { scope: 'openid offline_access' });
    const first = await (await redeem(client, code)).json<TokenResponse>();
    const narrowed = await token(client, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }, [A]);
    expect(narrowed.status).toBe(200);
    const second = await narrowed.json<TokenResponse>();
    expect(decodeJwt(second.access_token).aud).toEqual([A, ISSUER]);

    // B is registered for the client but was not granted: invalid_target, and the token is not used up.
    const widened = await token(client, { grant_type: 'refresh_token', refresh_token: second.refresh_token! }, [A, B]);
    await expectOAuthError(widened, 400, 'invalid_target');
    // Narrowing once does not narrow the family: the next refresh may have A and C again.
    const again = await refresh(client, second.refresh_token!);
    expect(decodeJwt((await again.json<TokenResponse>()).access_token).aud).toEqual([A, C, ISSUER]);
  });

  it('remembers the default resource in the refresh family', async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [], { scope: 'openid offline_access' });
    const first = await (await redeem(client, code)).json<TokenResponse>();
    expect(await accessAud(await token(client, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }, [B]))).toEqual([B, ISSUER]);
  });
});

describe('client_credentials with resource', () => {
  it('gives the resource asked for, the audience by default, and refuses others', async () => {
    const client = await resourceClient({ grantTypes: ['client_credentials'], scopes: ['api'], redirectUris: [] });
    expect(await accessAud(await token(client, { grant_type: 'client_credentials' }, [A]))).toBe(A);
    expect(await accessAud(await token(client, { grant_type: 'client_credentials' }, [A, C]))).toEqual([A, C]);
    expect(await accessAud(await token(client, { grant_type: 'client_credentials' }))).toBe(B);
    await expectOAuthError(await token(client, { grant_type: 'client_credentials' }, ['https://evil.example']), 400, 'invalid_target');
    await expectOAuthError(await token(client, { grant_type: 'client_credentials' }, [`${A}#x`]), 400, 'invalid_target');
  });

  it('needs no audience when the client names a registered resource, and never names the issuer', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: [], redirectUris: [], resources: [A] });
    expect(await accessAud(await token(client, { grant_type: 'client_credentials' }, [A]))).toBe(A);
    await expectOAuthError(await token(client, { grant_type: 'client_credentials' }), 400, 'unauthorized_client');
  });

  it('takes the deployment policy too', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: [], redirectUris: [] });
    const body = new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:shared' }).toString();
    const res = await callWithEnv({ ALLOWED_RESOURCES: 'urn:shared' }, '/token', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) }, body,
    });
    expect(await accessAud(res)).toBe('urn:shared');
  });
});

describe('the device_code grant with resource', () => {
  it('takes the resource when the device collects its tokens, and refuses one not allowed without using the code', async () => {
    const client = await createDeviceClient({ audience: B, resources: [A] });
    const started = await startDevice(client);
    await decideDevice(started.user_code, await createUser(), 'allow');
    const body = { grant_type: DEVICE_CODE_GRANT, device_code: started.device_code };
    await expectOAuthError(await token(client, body, [C]), 400, 'invalid_target');
    const tokens = await (await token(client, body, [A])).json<TokenResponse>();
    expect(decodeJwt(tokens.access_token).aud).toEqual([A, ISSUER]);
    const refreshed = await refresh(client, tokens.refresh_token!);
    expect(decodeJwt((await refreshed.json<TokenResponse>()).access_token).aud).toEqual([A, ISSUER]);
  });
});

describe('introspection reports aud (RFC 7662 §2.2)', () => {
  it("for access tokens and for refresh tokens (the grant's resources)", async () => {
    const client = await resourceClient();
    const code = await codeFor(client, await createUser(), [A, C], { scope: 'offline_access' });
    const tokens = await (await redeem(client, code)).json<TokenResponse>();
    const access = await (await formAs(client, '/introspect', { token: tokens.access_token })).json<Record<string, unknown>>();
    expect(access).toMatchObject({ active: true, aud: [A, C] });
    const refreshed = await (await formAs(client, '/introspect', { token: tokens.refresh_token! })).json<Record<string, unknown>>();
    expect(refreshed).toMatchObject({ active: true, aud: [A, C] });
  });
});
