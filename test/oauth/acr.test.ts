import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { digestToken } from '../../src/crypto/digest.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { authContextFor, checkAcr, parseAcrRequest, PASSWORD_AUTH, readAuthContext } from '../../src/oauth/acr.ts';
import { OAuthError } from '../../src/oauth/errors.ts';
import { oauthErrorCode } from '../helpers/errors.ts';
import { decideDevice, startDevice } from '../helpers/device.ts';
import { authorizeUrl, call, callWithEnv, createClient, createUser, exchange, form, formWithEnv, hiddenTx, signIn, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectRedirect, expectRedirectError, loginAndAllow, redeemCode, refresh, tokensFor } from '../helpers/flow.ts';

const acrClaim = (acr: unknown) => JSON.stringify({ id_token: { acr } });
const essential = (values: string[]) => JSON.stringify({ id_token: { acr: { essential: true, values } } });

function idTokenClaims(idToken: string | undefined) {
  if (!idToken) throw new Error('no id_token');
  return decodeJwt(idToken);
}

/** Signs in through the consent page with offline_access, so the code carries a refresh token. */
async function offlineSignIn(client: TestClient, user: TestUser, params: Record<string, string>) {
  const { allowed } = await loginAndAllow(client, user, { scope: 'openid offline_access', state: 's', nonce: 'n', prompt: 'consent', ...params });
  expect(allowed.status).toBe(303);
  return redeemCode<{ id_token: string; refresh_token: string }>(client, new URL(allowed.headers.get('Location')!).searchParams.get('code')!);
}

describe('amr and acr in id_tokens (RFC 8176, OIDC Core §2 and §3.1.2.1)', () => {
  it('states amr ["pwd"] after a password sign-in, and no acr when none was asked for', async () => {
    const { tokens } = await tokensFor(await createClient(), await createUser());
    const claims = idTokenClaims(tokens.id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBeUndefined();
  });

  it.each([
    ['acr_values=1', { acr_values: '1' }],
    ['a voluntary acr_values=2 (the level achieved is stated)', { acr_values: '2' }],
    ['acr_values with an unknown value', { acr_values: 'urn:example:gold 2' }],
    ['an essential acr claim for 1', { claims: essential(['1']) }],
    ['an essential acr claim for 1 or 2', { claims: essential(['2', '1']) }],
    ['an essential acr claim by value', { claims: JSON.stringify({ id_token: { acr: { essential: true, value: '1' } } }) }],
    ['a voluntary acr claim', { claims: JSON.stringify({ id_token: { acr: null } }) }],
  ])('states acr "1" when asked by %s', async (_name, params) => {
    const { tokens } = await tokensFor(await createClient(), await createUser(), params);
    const claims = idTokenClaims(tokens.id_token);
    expect(claims.acr).toBe('1');
    expect(claims.amr).toEqual(['pwd']);
  });

  it('refuses a malformed acr claim request', async () => {
    const client = await createClient();
    const res = await call(`/authorize?${new URLSearchParams({
      response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid', state: 'st-123',
      claims: JSON.stringify({ id_token: { acr: { essential: 'yes', values: '2' } } }),
    })}`);
    expectRedirectError(res, client, 'invalid_request');
  });

  it('keeps amr and acr on refresh', async () => {
    const client = await createClient();
    const first = await offlineSignIn(client, await createUser(), { acr_values: '1' });
    expect(idTokenClaims(first.id_token).acr).toBe('1');
    const res = await refresh(client, first.refresh_token);
    expect(res.status).toBe(200);
    const claims = idTokenClaims((await res.json<{ id_token: string }>()).id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBe('1');
  });

  it('a refresh keeps an id_token without acr when none was asked for', async () => {
    const client = await createClient();
    const first = await offlineSignIn(client, await createUser(), {});
    const res = await refresh(client, first.refresh_token);
    const claims = idTokenClaims((await res.json<{ id_token: string }>()).id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBeUndefined();
  });

  it('a refresh token stored before migration 0004 yields amr ["pwd"] and no acr', async () => {
    const client = await createClient();
    const user = await createUser();
    const token = randomToken(32);
    const now = Math.floor(Date.now() / 1000);
    await env.DB.prepare(
      `INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, session_id_hash, auth_time, created_at,
         expires_at, family_expires_at, access_token_jti, access_token_expires_at)
       VALUES (?, 'old-family', ?, ?, 'openid offline_access', NULL, ?, ?, ?, ?, ?, ?)`,
    ).bind(await digestToken(token), client.clientId, user.id, now - 60, now - 60, now + 600, now + 6000, randomToken(16), now).run();
    const res = await refresh(client, token);
    expect(res.status).toBe(200);
    const claims = idTokenClaims((await res.json<{ id_token: string }>()).id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBeUndefined();
  });

  it('keeps the SSO session amr and acr on a second authorization', async () => {
    const client = await createClient();
    const { cookie } = await signIn(client, await createUser());
    const other = await createClient();
    const params = expectRedirect(await authorizeWithCookie(other, cookie, { acr_values: '1 2', prompt: 'none' }), other);
    const res = await exchange(other, params.get('code')!);
    const claims = idTokenClaims((await res.json<{ id_token: string }>()).id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBe('1');
  });

  it.each([
    ['acr_values=2', { acr_values: '2' }],
    ['an essential acr claim for 2', { claims: essential(['2']) }],
  ])('answers prompt=none with %s that the session cannot meet with interaction_required', async (_name, params) => {
    const client = await createClient();
    const { cookie } = await signIn(client, await createUser());
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', ...params }), client, 'interaction_required');
  });

  it('answers an essential acr of 2 with unmet_authentication_requirements after the sign-in when MFA_POLICY is off', async () => {
    const client = await createClient();
    const user = await createUser();
    const page = await callWithEnv({ MFA_POLICY: 'off' }, `/authorize?${new URLSearchParams({
      response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid', state: 'st-123', claims: essential(['2']),
    })}`);
    const tx = hiddenTx(await page.text());
    const res = await formWithEnv({ MFA_POLICY: 'off' }, '/login', { tx, username: user.username, password: user.password });
    expectRedirectError(res, client, 'unmet_authentication_requirements', 'st-123', 303);
  });

  it('answers a signed-in user without a second factor asking for an essential acr 2 with unmet_authentication_requirements when MFA_POLICY is off', async () => {
    const client = await createClient();
    const { cookie } = await signIn(client, await createUser());
    const res = await callWithEnv({ MFA_POLICY: 'off' }, authorizeUrl(client, { claims: essential(['2']) }), { headers: { Cookie: cookie } });
    expectRedirectError(res, client, 'unmet_authentication_requirements');
  });

  it('device flow id_tokens carry amr', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', grantTypes: [DEVICE_CODE_GRANT], redirectUris: [] });
    const user = await createUser();
    const { device_code, user_code } = await startDevice(client, 'openid');
    await decideDevice(user_code, user, 'allow');
    const res = await form('/token', { grant_type: DEVICE_CODE_GRANT, device_code, client_id: client.clientId });
    expect(res.status).toBe(200);
    const claims = idTokenClaims((await res.json<{ id_token: string }>()).id_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBeUndefined();
  });
});

describe('authentication context', () => {
  it('a password sign-in is amr ["pwd"] at level 1; "mfa" among the methods is level 2', () => {
    expect(PASSWORD_AUTH).toEqual({ amr: ['pwd'], acr: '1' });
    expect(authContextFor(['pwd', 'otp', 'mfa'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: '2' });
  });

  it('reads a cookie sealed before amr and acr existed as a password sign-in', () => {
    expect(readAuthContext(undefined, undefined)).toEqual(PASSWORD_AUTH);
    expect(readAuthContext(['pwd', 1], '1')).toEqual(PASSWORD_AUTH);
    expect(readAuthContext(['pwd', 'otp', 'mfa'], '2')).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: '2' });
  });
});

describe('parseAcrRequest', () => {
  it('is null when nothing is asked about acr', () => {
    expect(parseAcrRequest(undefined, undefined)).toBeNull();
    expect(parseAcrRequest(undefined, JSON.stringify({ id_token: { email: null } }))).toBeNull();
    expect(parseAcrRequest(undefined, JSON.stringify({ userinfo: { acr: null } }))).toBeNull();
  });

  it('reads acr_values as voluntary, in order', () => {
    expect(parseAcrRequest('2  1', undefined)).toEqual({ values: ['2', '1'], essential: false });
  });

  it('reads an essential acr claim by value or values, ahead of acr_values', () => {
    expect(parseAcrRequest('1', acrClaim({ essential: true, values: ['2'] }))).toEqual({ values: ['2'], essential: true });
    expect(parseAcrRequest(undefined, acrClaim({ essential: true, value: '2' }))).toEqual({ values: ['2'], essential: true });
    expect(parseAcrRequest(undefined, acrClaim(null))).toEqual({ values: [], essential: false });
    expect(parseAcrRequest('1', acrClaim({ values: ['2'] }))).toEqual({ values: ['1', '2'], essential: false });
  });

  it.each([
    ['a string', 'x'],
    ['an array', ['2']],
    ['essential as a string', { essential: 'true' }],
    ['value as a number', { value: 2 }],
    ['values as a string', { values: '2' }],
  ])('refuses an acr claim that is %s with invalid_request', (_name, acr) => {
    expect(oauthErrorCode(() => parseAcrRequest(undefined, acrClaim(acr)))).toBe('invalid_request');
  });
});

describe('checkAcr', () => {
  const code = (r: ReturnType<typeof checkAcr>) => (r instanceof OAuthError ? r.code : r);

  it('meets a level at or below the session level, and any level when no values are given', () => {
    expect(code(checkAcr(null, '1', false, true))).toBe('met');
    expect(code(checkAcr({ values: ['1'], essential: true }, '1', false, true))).toBe('met');
    expect(code(checkAcr({ values: ['1'], essential: true }, '2', false, true))).toBe('met');
    expect(code(checkAcr({ values: [], essential: true }, '1', false, true))).toBe('met');
  });

  it('answers a level the session cannot meet by the rules of docs/decisions.md', () => {
    const two = { values: ['2'], essential: true };
    expect(code(checkAcr(two, '1', false, true))).toBe('interaction_required');
    expect(code(checkAcr({ ...two, essential: false }, '1', false, true))).toBe('interaction_required');
    expect(code(checkAcr({ ...two, essential: false }, '1', false, false))).toBe('met');
    expect(code(checkAcr(two, '1', false, false))).toBe('sign-in');
    expect(code(checkAcr(two, '1', true, false))).toBe('unmet_authentication_requirements');
    expect(code(checkAcr({ values: ['urn:example:gold'], essential: true }, '2', true, false))).toBe('unmet_authentication_requirements');
  });
});
