import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { digestToken, hashClientSecret } from '../../src/crypto/digest.ts';
import { normalizeUserCode } from '../../src/oauth/user-code.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { deleteClient } from '../../src/store/cascades.ts';
import { updateClientSecretHash } from '../../src/store/clients.ts';
import { nowSeconds } from '../../src/clock.ts';
import { decideDeviceCode } from '../../src/store/device-codes.ts';
import { createClient, createDeviceClient, createUser, exchange, formAs, signIn, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { expectOAuthError, tokensFor } from '../helpers/flow.ts';

// Each request below first succeeds with the secret, so the Worker's client cache holds the old record.
type Change = 'rotated' | 'deleted';

async function change(client: TestClient, how: Change): Promise<void> {
  if (how === 'rotated') expect(await updateClientSecretHash(env.DB, client.clientId, await hashClientSecret(randomToken(32)))).toBe(true);
  else expect(await deleteClient(env.DB, client.clientId)).toBe(true);
}

/** A device code approved straight in D1 (the verification page has its own tests), ready to be polled. */
async function approvedDeviceCode(client: TestClient, user: TestUser, scope: string): Promise<string> {
  const started = await formAs(client, '/device_authorization', { scope });
  expect(started.status).toBe(200);
  const d = await started.json<{ device_code: string; user_code: string }>();
  const now = nowSeconds();
  const userCode = normalizeUserCode(d.user_code)!;
  expect(await decideDeviceCode(env.DB, { userCode, approved: true, userId: user.id, authTime: now, sessionIdHash: 'session', amr: ['pwd'], now })).toBe(true);
  return d.device_code;
}

describe.each<Change>(['rotated', 'deleted'])('a %s client secret is refused at once', (how) => {
  it('refresh_token', async () => {
    const client = await createDeviceClient();
    const deviceCode = await approvedDeviceCode(client, await createUser(), 'openid offline_access');
    const issued = await formAs(client, '/token', { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode });
    expect(issued.status).toBe(200);
    const { refresh_token: refreshToken } = await issued.json<{ refresh_token: string }>();
    await change(client, how);
    await expectOAuthError(await formAs(client, '/token', { grant_type: 'refresh_token', refresh_token: refreshToken }), 401, 'invalid_client');
    if (how === 'rotated') {
      const row = await env.DB.prepare('SELECT used_at FROM refresh_tokens WHERE client_id = ?').bind(client.clientId).first<{ used_at: number | null }>();
      expect(row?.used_at).toBeNull();
    }
  });

  it('device_code', async () => {
    const client = await createDeviceClient();
    const deviceCode = await approvedDeviceCode(client, await createUser(), 'openid');
    await change(client, how);
    await expectOAuthError(await formAs(client, '/token', { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode }), 401, 'invalid_client');
    const row = await env.DB.prepare('SELECT status FROM device_codes WHERE client_id = ?').bind(client.clientId).first<{ status: string }>();
    expect(row?.status).toBe('approved');
  });

  it('authorization_code (the code stays unredeemed)', async () => {
    const client = await createClient();
    const user = await createUser();
    await tokensFor(client, user);
    const { code } = await signIn(client, user);
    await change(client, how);
    await expectOAuthError(await exchange(client, code), 401, 'invalid_client');
    expect(await env.DB.prepare('SELECT 1 FROM code_redemptions WHERE code_hash = ?').bind(await digestToken(code)).first()).toBeNull();
  });

  it('client_credentials', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], redirectUris: [], audience: 'https://api.example.test' });
    expect((await formAs(client, '/token', { grant_type: 'client_credentials' })).status).toBe(200);
    await change(client, how);
    await expectOAuthError(await formAs(client, '/token', { grant_type: 'client_credentials' }), 401, 'invalid_client');
  });

  it('/revoke', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    expect((await formAs(client, '/revoke', { token: 'unknown-token' })).status).toBe(200);
    await change(client, how);
    await expectOAuthError(await formAs(client, '/revoke', { token: tokens.access_token }), 401, 'invalid_client');
    await expectOAuthError(await formAs(client, '/revoke', { token: 'unknown-token' }), 401, 'invalid_client');
    const jti = JSON.parse(atob(tokens.access_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { jti: string };
    const revoked = await env.DB.prepare('SELECT 1 AS r FROM revoked_tokens WHERE jti = ?').bind(jti.jti).first();
    expect(revoked).toBeNull();
  });

  it('/introspect', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser());
    const live = await formAs(client, '/introspect', { token: tokens.access_token });
    expect((await live.json<{ active: boolean }>()).active).toBe(true);
    await change(client, how);
    await expectOAuthError(await formAs(client, '/introspect', { token: tokens.access_token }), 401, 'invalid_client');
  });
});
