import { env } from 'cloudflare:workers';
import { base64url, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { digestToken } from '../../../src/crypto/digest.ts';
import { deleteCode, readCode, saveCode } from '../../../src/store/codes.ts';
import { nowSeconds } from '../../../src/clock.ts';
import { call, createClient, createUser, exchange, form, ISSUER, pkcePair, sha256, signIn, type TestClient, type TestUser } from '../../helpers/fixtures.ts';
import { expectOAuthError, publicKeySet, tokensFor, userinfo, waitForSessionRow } from '../../helpers/flow.ts';

afterEach(() => {
  vi.useRealTimers();
});

async function publicClientCode(client: TestClient, user: TestUser) {
  const pkce = await pkcePair();
  const { code } = await signIn(client, user, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });
  return { code, ...pkce };
}

function publicExchange(client: TestClient, code: string, extra: Record<string, string> = {}): Promise<Response> {
  return form('/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, ...extra });
}

describe('grant_type=authorization_code: code checks', () => {
  it('refuses a garbage code with invalid_grant', async () => {
    const client = await createClient();
    await expectOAuthError(await exchange(client, 'not-a-real-code'), 400, 'invalid_grant');
  });

  it('refuses a missing code with invalid_request', async () => {
    const client = await createClient();
    await expectOAuthError(await exchange(client, ''), 400, 'invalid_request');
  });

  it('refuses a 10 KB code with a 400, never a 5xx', async () => {
    const client = await createClient();
    await expectOAuthError(await exchange(client, 'c'.repeat(10 * 1024)), 400, 'invalid_request');
  });

  it('refuses an oversized redirect_uri and code_verifier with a 400', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    await expectOAuthError(await exchange(client, code, { redirect_uri: `https://app.example.com/${'x'.repeat(3000)}` }), 400, 'invalid_request');
    await expectOAuthError(await exchange(client, code, { code_verifier: 'v'.repeat(5000) }), 400, 'invalid_request');
  });

  it('refuses a code issued to another client with invalid_grant', async () => {
    const owner = await createClient();
    const thief = await createClient();
    const { code } = await signIn(owner, await createUser());
    await expectOAuthError(await exchange({ ...thief, redirectUri: owner.redirectUri }, code), 400, 'invalid_grant');
  });

  it('refuses a redirect_uri that differs from the authorization request with invalid_grant', async () => {
    const client = await createClient({ redirectUris: ['https://app.example.com/a', 'https://app.example.com/b'] });
    const { code } = await signIn(client, await createUser());
    await expectOAuthError(await exchange(client, code, { redirect_uri: 'https://app.example.com/b' }), 400, 'invalid_grant');
    await expectOAuthError(await exchange(client, code, { redirect_uri: 'https://app.example.com/a/' }), 400, 'invalid_grant');
  });

  it('refuses a missing redirect_uri with invalid_request', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    await expectOAuthError(await exchange(client, code, { redirect_uri: '' }), 400, 'invalid_request');
  });

  it('refuses a code past its expiry time with invalid_grant', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const code = `chosen-${crypto.randomUUID()}`;
    const now = nowSeconds();
    await saveCode(env.CODES, await digestToken(code), {
      clientId: client.clientId, redirectUri: client.redirectUri, scope: 'openid', nonce: null, codeChallenge: null,
      userId: user.id, authTime: now - 120, sessionIdHash: await waitForSessionRow(cookie), idTokenClaims: [], amr: ['pwd'], acr: null, expiresAt: now - 1,
    });
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
  });

  it('accepts that same hand-written code while it is fresh', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const code = `chosen-${crypto.randomUUID()}`;
    const now = nowSeconds();
    await saveCode(env.CODES, await digestToken(code), {
      clientId: client.clientId, redirectUri: client.redirectUri, scope: 'openid', nonce: null, codeChallenge: null,
      userId: user.id, authTime: now, sessionIdHash: await waitForSessionRow(cookie), idTokenClaims: [], amr: ['pwd'], acr: null, expiresAt: now + 60,
    });
    expect((await exchange(client, code)).status).toBe(200);
  });

  it('refuses a code redeemed more than 60 seconds after it was issued', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    vi.setSystemTime(Date.now() + 61_000);
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
  });

  it('removes the code payload from KV after redemption', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    expect((await exchange(client, code)).status).toBe(200);
    const hash = await digestToken(code);
    for (let i = 0; i < 100 && (await readCode(env.CODES, hash)) !== null; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await readCode(env.CODES, hash)).toBeNull();
  });
});

describe('grant_type=authorization_code: PKCE (RFC 7636 §4.6)', () => {
  it('accepts the right verifier', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { code, verifier } = await publicClientCode(client, await createUser());
    expect((await publicExchange(client, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('refuses a missing verifier when a challenge was sent', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { code } = await publicClientCode(client, await createUser());
    await expectOAuthError(await publicExchange(client, code), 400, 'invalid_grant');
  });

  it('refuses a missing verifier from a confidential client that sent a challenge', async () => {
    const client = await createClient();
    const { challenge } = await pkcePair();
    const { code } = await signIn(client, await createUser(), { code_challenge: challenge, code_challenge_method: 'S256' });
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
  });

  it('refuses a wrong verifier', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { code } = await publicClientCode(client, await createUser());
    const other = await pkcePair();
    await expectOAuthError(await publicExchange(client, code, { code_verifier: other.verifier }), 400, 'invalid_grant');
  });

  it('refuses the challenge itself as the verifier', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { code, challenge } = await publicClientCode(client, await createUser());
    await expectOAuthError(await publicExchange(client, code, { code_verifier: challenge }), 400, 'invalid_grant');
  });

  it.each([
    ['too short (42 characters)', 'a'.repeat(42)],
    ['too long (129 characters)', 'a'.repeat(129)],
    ['with a space', `${'a'.repeat(42)} b`],
    ['with a plus sign', `${'a'.repeat(42)}+`],
    ['with a slash', `${'a'.repeat(42)}/`],
    ['with non-ASCII letters', `${'a'.repeat(42)}é`],
  ])('refuses a verifier %s', async (_, verifier) => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { code } = await publicClientCode(client, await createUser());
    await expectOAuthError(await publicExchange(client, code, { code_verifier: verifier }), 400, 'invalid_grant');
  });

  it('refuses a verifier for a code issued without a challenge (downgrade)', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    const { verifier } = await pkcePair();
    await expectOAuthError(await exchange(client, code, { code_verifier: verifier }), 400, 'invalid_grant');
  });
});

describe('grant_type=authorization_code: single use (RFC 6749 §4.1.2)', () => {
  it('refuses a replayed code and revokes the access token of the first redemption', async () => {
    const client = await createClient();
    const user = await createUser();
    const { code } = await signIn(client, user);
    const first = await exchange(client, code);
    expect(first.status).toBe(200);
    const { access_token } = await first.json<{ access_token: string }>();
    expect((await userinfo(access_token)).status).toBe(200);

    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
    const after = await userinfo(access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('redeems a code exactly once under 10 concurrent requests', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    const responses = await Promise.all(Array.from({ length: 10 }, () => exchange(client, code)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
    for (const res of responses.filter((r) => r.status === 400)) {
      expect((await res.json<{ error: string }>()).error).toBe('invalid_grant');
    }
  });

  it('refuses a replay after the KV payload is gone, and still revokes the first tokens', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    const first = await exchange(client, code);
    expect(first.status).toBe(200);
    const { access_token } = await first.json<{ access_token: string }>();
    await deleteCode(env.CODES, await digestToken(code));

    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
    expect((await userinfo(access_token)).status).toBe(401);
  });

  it('does not revoke anything when a never-redeemed code is refused', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens } = await tokensFor(client, user);
    await expectOAuthError(await exchange(client, 'never-issued'), 400, 'invalid_grant');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
  });
});

describe('grant_type=authorization_code: the tokens', () => {
  it('answers with a Bearer access token, an id_token, expires_in and scope', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe('openid profile email');
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.id_token).toBe('string');
  });

  it('signs the id_token with RS256 by default, verifiable with the JWKS', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens } = await tokensFor(client, user);
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, await publicKeySet(), { issuer: ISSUER, audience: client.clientId, algorithms: ['RS256'] });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe(user.id);
    expect(payload.azp).toBe(client.clientId);
    expect(payload.nonce).toBe('n-456');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('signs the id_token with ES256 for a client registered for it', async () => {
    const client = await createClient({ idTokenSignedResponseAlg: 'ES256' });
    const { tokens } = await tokensFor(client, await createUser());
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    const { protectedHeader } = await jwtVerify(tokens.id_token!, await publicKeySet(), { issuer: ISSUER, audience: client.clientId, algorithms: ['ES256'] });
    const { keys } = await (await call('/.well-known/jwks.json')).json<{ keys: { kid: string; alg: string }[] }>();
    expect(keys.find((k) => k.kid === protectedHeader.kid)?.alg).toBe('ES256');
  });

  it('puts the left half of the SHA-256 of the access token in at_hash', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    const digest = await sha256(tokens.access_token);
    expect(decodeJwt(tokens.id_token!).at_hash).toBe(base64url.encode(digest.slice(0, 16)));
  });

  it('leaves out nonce when the request had none', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser(), { nonce: '' });
    expect(decodeJwt(tokens.id_token!)).not.toHaveProperty('nonce');
  });

  it('puts claims asked for with the claims parameter into the id_token', async () => {
    const client = await createClient();
    const user = await createUser({ name: 'Grace Hopper' });
    const { tokens } = await tokensFor(client, user, { claims: JSON.stringify({ id_token: { email: null, name: { essential: true } } }) });
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken.email).toBe(`${user.username}@example.com`);
    expect(idToken.name).toBe('Grace Hopper');
    expect(idToken).not.toHaveProperty('preferred_username');
  });

  it('keeps profile claims out of the id_token unless asked for', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken).not.toHaveProperty('email');
    expect(idToken).not.toHaveProperty('name');
  });

  it('never lets the claims parameter override the protocol claims', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens } = await tokensFor(client, user, { claims: JSON.stringify({ id_token: { sub: { value: 'admin' }, iss: null, aud: null } }) });
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken.sub).toBe(user.id);
    expect(idToken.iss).toBe(ISSUER);
    expect(idToken.aud).toBe(client.clientId);
  });

  it('issues an RFC 9068 access token for the issuer by default', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens } = await tokensFor(client, user);
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, await publicKeySet(), { issuer: ISSUER, audience: ISSUER, typ: 'at+jwt' });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: user.id, client_id: client.clientId, scope: 'openid profile email' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(typeof payload.jti).toBe('string');
  });

  it('uses the client audience for the access token when one is registered, with the issuer for openid (RFC 9068 §2.2)', async () => {
    const client = await createClient({ audience: 'https://api.example.com' });
    const { tokens } = await tokensFor(client, await createUser());
    expect(decodeJwt(tokens.access_token).aud).toEqual(['https://api.example.com', ISSUER]);
  });

  it('gives every access token its own jti', async () => {
    const client = await createClient();
    const user = await createUser();
    const a = await tokensFor(client, user);
    const b = await tokensFor(client, user);
    expect(decodeJwt(a.tokens.access_token).jti).not.toBe(decodeJwt(b.tokens.access_token).jti);
  });
});
