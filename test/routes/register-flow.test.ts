// A registered client in use: the code flow with PKCE, refresh, first use recorded by /token, and the
// retention job's expiry of registered clients never used.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.ts';
import { createUser, form, pkcePair } from '../helpers/fixtures.ts';
import { expectRedirect, isConsentPage, loginAndAllow, userinfo, type TokenResponse } from '../helpers/flow.ts';
import { registerPublicClient } from '../helpers/registration.ts';

const DAY_MS = 86_400_000;

function firstUsedAt(clientId: string) {
  return env.DB.prepare('SELECT first_used_at FROM clients WHERE client_id = ?').bind(clientId).first<{ first_used_at: number | null }>();
}

async function runRetention(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '23 3 * * *' }), env);
  await waitOnExecutionContext(ctx);
}

describe('a dynamically registered public client', () => {
  afterEach(() => vi.useRealTimers());

  it('completes the code flow with PKCE (consent shown: it is third-party), redeems, refreshes, and is marked used', async () => {
    const { client } = await registerPublicClient({ scope: 'openid profile offline_access' });
    const user = await createUser();
    const { verifier, challenge } = await pkcePair();
    const { html, allowed } = await loginAndAllow(client, user, {
      scope: 'openid profile offline_access', code_challenge: challenge, code_challenge_method: 'S256',
    });
    expect(isConsentPage(html)).toBe(true);
    const code = expectRedirect(allowed, client, 303).get('code')!;
    expect((await firstUsedAt(client.clientId))!.first_used_at).toBeNull();

    const res = await form('/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, code_verifier: verifier });
    expect(res.status).toBe(200);
    const tokens = await res.json<TokenResponse>();
    expect(tokens.scope).toBe('openid profile offline_access');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const used = (await firstUsedAt(client.clientId))!.first_used_at;
    expect(used).toBeGreaterThan(0);

    const refreshed = await form('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: client.clientId });
    expect(refreshed.status).toBe(200);
    // First use is recorded once.
    expect((await firstUsedAt(client.clientId))!.first_used_at).toBe(used);
  });

  it('is deleted by the retention job once REGISTRATION_UNUSED_CLIENT_DAYS (7) pass without a redeemed code; a used one stays', async () => {
    const unused = await registerPublicClient();
    const used = await registerPublicClient();
    await env.DB.prepare('UPDATE clients SET first_used_at = created_at WHERE client_id = ?').bind(used.client.clientId).run();
    const user = await createUser();
    await env.DB.prepare("INSERT INTO consents (user_id, client_id, scopes, granted_at, updated_at) VALUES (?, ?, '[\"openid\"]', 0, 0)")
      .bind(user.id, unused.client.clientId).run();
    vi.useFakeTimers({ toFake: ['Date'] });

    vi.setSystemTime(Date.now() + 6 * DAY_MS);
    await runRetention();
    expect(await env.DB.prepare('SELECT 1 FROM clients WHERE client_id = ?').bind(unused.client.clientId).first()).not.toBeNull();

    vi.setSystemTime(Date.now() + 2 * DAY_MS);
    await runRetention();
    expect(await env.DB.prepare('SELECT 1 FROM clients WHERE client_id = ?').bind(unused.client.clientId).first()).toBeNull();
    expect(await env.DB.prepare('SELECT 1 FROM consents WHERE client_id = ?').bind(unused.client.clientId).first()).toBeNull();
    expect(await env.DB.prepare('SELECT 1 FROM clients WHERE client_id = ?').bind(used.client.clientId).first()).not.toBeNull();
    const audit = await env.DB.prepare("SELECT detail FROM audit_events WHERE type = 'retention.prune' ORDER BY id DESC LIMIT 1").first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ clients: 1, consents: 1 });
  });
});
