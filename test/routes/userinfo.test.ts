import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken } from '../../src/crypto/jwt.ts';
import { setUserDisabled } from '../../src/store/cascades.ts';
import { revokeAccessTokenStatement } from '../../src/store/tokens.ts';
import { call, callWithEnv, createClient, createUser, formAs, ISSUER } from '../helpers/fixtures.ts';
import { keySet, tamper, tokensFor } from '../helpers/flow.ts';

afterEach(() => {
  vi.useRealTimers();
});

function get(authorization?: string): Promise<Response> {
  return call('/userinfo', authorization === undefined ? {} : { headers: { Authorization: authorization } });
}

function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return call('/userinfo', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });
}

async function expectInvalidToken(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  const challenge = res.headers.get('WWW-Authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain(`realm="${ISSUER}"`);
  expect(challenge).toContain('error="invalid_token"');
  expect((await res.json<{ error: string }>()).error).toBe('invalid_token');
}

async function accessToken(scope = 'openid profile email', user?: Awaited<ReturnType<typeof createUser>>) {
  const client = await createClient();
  const owner = user ?? (await createUser({ name: 'Ada Lovelace' }));
  const { tokens } = await tokensFor(client, owner, { scope });
  return { token: tokens.access_token, user: owner, client };
}

describe('GET /userinfo', () => {
  it('returns the scoped claims as no-store JSON', async () => {
    const { token, user } = await accessToken();
    const res = await get(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toEqual({
      sub: user.id, name: 'Ada Lovelace', preferred_username: user.username, updated_at: expect.any(Number),
      email: `${user.username}@example.com`, email_verified: true,
    });
  });

  it('accepts the bearer scheme in lower case', async () => {
    const { token } = await accessToken();
    expect((await get(`bearer ${token}`)).status).toBe(200);
    expect((await get(`BEARER ${token}`)).status).toBe(200);
  });

  it('returns just sub for the openid scope alone', async () => {
    const { token, user } = await accessToken('openid');
    expect(await (await get(`Bearer ${token}`)).json()).toEqual({ sub: user.id });
  });

  it('returns email and email_verified for the email scope', async () => {
    const { token, user } = await accessToken('openid email');
    expect(await (await get(`Bearer ${token}`)).json()).toEqual({ sub: user.id, email: `${user.username}@example.com`, email_verified: true });
  });

  it('returns name and preferred_username for the profile scope', async () => {
    const { token, user } = await accessToken('openid profile');
    const claims = await (await get(`Bearer ${token}`)).json<Record<string, unknown>>();
    expect(claims).toEqual({ sub: user.id, name: 'Ada Lovelace', preferred_username: user.username, updated_at: expect.any(Number) });
  });

  it('omits claims the user has no value for, rather than sending null', async () => {
    const user = await createUser({ email: null, name: null });
    const { token } = await accessToken('openid profile email', user);
    expect(await (await get(`Bearer ${token}`)).json()).toEqual({ sub: user.id, preferred_username: user.username, updated_at: expect.any(Number) });
  });

  it('answers a missing token with 401 and a Bearer challenge', async () => {
    await expectInvalidToken(await get());
  });

  it('does not read a token from the query string', async () => {
    const { token } = await accessToken();
    await expectInvalidToken(await call(`/userinfo?access_token=${token}`));
  });

  it('answers a garbage token with 401 invalid_token', async () => {
    await expectInvalidToken(await get('Bearer garbage'));
  });

  it('answers a malformed Authorization header with 401 invalid_token', async () => {
    const { token } = await accessToken();
    await expectInvalidToken(await get(`Bearer ${token} extra`));
    await expectInvalidToken(await get(`Basic ${btoa('a:b')}`));
    await expectInvalidToken(await get('Bearer'));
  });

  it('answers a tampered token with 401 invalid_token', async () => {
    const { token } = await accessToken();
    await expectInvalidToken(await get(`Bearer ${tamper(token, token.indexOf('.') + 5)}`));
  });

  it('answers an expired token with 401 invalid_token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { token } = await accessToken();
    vi.setSystemTime(Date.now() + 3601_000);
    await expectInvalidToken(await get(`Bearer ${token}`));
  });

  it('answers a revoked token with 401 invalid_token', async () => {
    const { token } = await accessToken();
    const { jti, exp } = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { jti: string; exp: number };
    await revokeAccessTokenStatement(env.DB, jti, exp, '1', []).run();
    await expectInvalidToken(await get(`Bearer ${token}`));
  });

  it('refuses an id_token used as an access token', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    await expectInvalidToken(await get(`Bearer ${tokens.id_token}`));
  });

  it('refuses an access token from another issuer', async () => {
    const user = await createUser();
    const now = Math.floor(Date.now() / 1000);
    const forged = await signAccessToken(await keySet(), 'ES256', {
      iss: 'https://evil.example', sub: user.id, aud: ISSUER, client_id: 'x', scope: 'openid', jti: 'j1', iat: now, exp: now + 60,
    });
    await expectInvalidToken(await get(`Bearer ${forged}`));
  });

  it('answers a token without the openid scope with 403 insufficient_scope', async () => {
    const user = await createUser();
    const now = Math.floor(Date.now() / 1000);
    const token = await signAccessToken(await keySet(), 'ES256', {
      iss: ISSUER, sub: user.id, aud: ISSUER, client_id: 'x', scope: 'profile', jti: crypto.randomUUID(), iat: now, exp: now + 60,
    });
    const res = await get(`Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="insufficient_scope"');
    expect((await res.json<{ error: string }>()).error).toBe('insufficient_scope');
  });

  it('answers a token of a disabled user with 401 invalid_token', async () => {
    const { token, user } = await accessToken();
    await setUserDisabled(env.DB, user.id, true);
    await expectInvalidToken(await get(`Bearer ${token}`));
  });

  it('may be called cross-origin, errors included', async () => {
    const { token } = await accessToken();
    const ok = await call('/userinfo', { headers: { Authorization: `Bearer ${token}`, Origin: 'https://spa.example.org' } });
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const denied = await call('/userinfo', { headers: { Origin: 'https://spa.example.org' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const preflight = await call('/userinfo', {
      method: 'OPTIONS',
      headers: { Origin: 'https://spa.example.org', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('/userinfo and the access token audience (RFC 9700 §4.9)', () => {
  const API = 'https://api.example.com';

  async function signedFor(sub: string, aud: string | string[], scope = 'openid'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return signAccessToken(await keySet(), 'ES256', { iss: ISSUER, sub, aud, client_id: 'x', scope, jti: crypto.randomUUID(), iat: now, exp: now + 60 });
  }

  it('refuses with invalid_token a token of ours meant only for a resource server', async () => {
    const user = await createUser();
    await expectInvalidToken(await get(`Bearer ${await signedFor(user.id, API)}`));
    await expectInvalidToken(await get(`Bearer ${await signedFor(user.id, [API, 'https://other.example'])}`));
  });

  it('accepts an openid token, which carries the issuer next to the resource audience', async () => {
    const client = await createClient({ audience: API });
    const user = await createUser();
    const { tokens } = await tokensFor(client, user, { scope: 'openid' });
    expect(decodeJwt(tokens.access_token).aud).toEqual([API, ISSUER]);
    const res = await get(`Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: user.id });
  });

  it('refuses with invalid_token a client-credentials token, which never carries the issuer', async () => {
    const cc = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], audience: API, redirectUris: [] });
    const res = await formAs(cc, '/token', { grant_type: 'client_credentials' });
    const { access_token } = await res.json<{ access_token: string }>();
    expect(decodeJwt(access_token).aud).toBe(API);
    await expectInvalidToken(await get(`Bearer ${access_token}`));
  });
});

describe('/userinfo storage reads', () => {
  /** The test D1 with its primary unreachable: only Sessions API sessions (which may read a replica) answer. */
  function replicaOnlyD1(constraints: string[]): D1Database {
    const down = () => { throw new Error('the primary was read'); };
    return {
      prepare: down, batch: down, exec: down,
      withSession: (constraint?: string) => {
        constraints.push(constraint ?? '(default)');
        return env.DB.withSession(constraint as D1SessionConstraint);
      },
    } as unknown as D1Database;
  }

  it('reads the user and the revocation record from a replica, with no primary round trip', async () => {
    const { token, user } = await accessToken('openid');
    const constraints: string[] = [];
    const res = await callWithEnv({ DB: replicaOnlyD1(constraints) }, '/userinfo', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: user.id });
    expect(constraints).toEqual(['first-unconstrained']);
  });

  it('still sees a revocation and a disabled user through the replica read', async () => {
    const { token, user } = await accessToken('openid');
    const { jti, exp } = decodeJwt(token) as { jti: string; exp: number };
    await revokeAccessTokenStatement(env.DB, jti, exp, '1', []).run();
    await expectInvalidToken(await callWithEnv({ DB: replicaOnlyD1([]) }, '/userinfo', { headers: { Authorization: `Bearer ${token}` } }));
    const other = await accessToken('openid', user);
    await setUserDisabled(env.DB, user.id, true);
    await expectInvalidToken(await callWithEnv({ DB: replicaOnlyD1([]) }, '/userinfo', { headers: { Authorization: `Bearer ${other.token}` } }));
  });
});

describe('POST /userinfo', () => {
  it('accepts the token as a form parameter', async () => {
    const { token, user } = await accessToken('openid');
    const res = await post(new URLSearchParams({ access_token: token }).toString());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: user.id });
  });

  it('accepts the token in the header with an empty form', async () => {
    const { token } = await accessToken('openid');
    expect((await post('', { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses a token in both the header and the body with 400 invalid_request', async () => {
    const { token } = await accessToken();
    const res = await post(new URLSearchParams({ access_token: token }).toString(), { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe('invalid_request');
  });

  it('refuses a repeated access_token with 400 invalid_request', async () => {
    const { token } = await accessToken();
    const res = await post(`access_token=${token}&access_token=${token}`);
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe('invalid_request');
  });

  it('does not read a token from a JSON body', async () => {
    const { token } = await accessToken();
    const res = await call('/userinfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: token }) });
    await expectInvalidToken(res);
  });

  it('answers a garbage form token with 401 invalid_token', async () => {
    await expectInvalidToken(await post('access_token=garbage'));
  });
});
