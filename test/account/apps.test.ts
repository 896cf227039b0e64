// /account's connected apps: consents and refresh-token families per client, and revoking one client's access.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findConsentedScopes } from '../../src/store/consents.ts';
import { getAccount, postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createClient, createUser, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { loginAndAllow, redeemCode, refresh, tokensFor } from '../helpers/flow.ts';

/** A third-party client the user consents to, with a refresh token. */
async function consentWithTokens(client: TestClient, user: TestUser): Promise<string> {
  const { allowed } = await loginAndAllow(client, user, { scope: 'openid profile offline_access', prompt: 'consent' });
  const code = new URL(allowed.headers.get('Location')!).searchParams.get('code')!;
  return (await redeemCode(client, code)).refresh_token!;
}

describe('/account connected apps', () => {
  it('lists consents and token families per client, and revokes one: consent gone, refresh tokens refused, audited', async () => {
    const [thirdParty, firstParty, user] = await Promise.all([createClient({ firstParty: false, name: 'Photo <App>' }), createClient({ name: 'Own App' }), createUser()]);
    const refreshToken = await consentWithTokens(thirdParty, user);
    const { tokens } = await tokensFor(firstParty, user, { scope: 'openid offline_access' });
    const cookie = await signInToAccountFrom(user);
    const html = await (await getAccount(cookie)).text();
    const apps = html.slice(html.indexOf('id="apps"'));
    expect(apps).toContain('<strong>Photo &lt;App&gt;</strong>');
    expect(apps).toContain('openid profile offline_access');
    expect(apps).toContain('<strong>Own App</strong>');
    expect(apps).toContain('trusted application');

    const res = await postAccount(cookie, '/account/apps/revoke', { client_id: thirdParty.clientId });
    expect(res.headers.get('Location')).toBe('/account?done=app-revoked#apps');
    expect(await findConsentedScopes(env.DB, user.id, thirdParty.clientId)).toBeNull();
    expect((await refresh(thirdParty, refreshToken)).status).toBe(400);
    // The other client keeps its access.
    expect((await refresh(firstParty, tokens.refresh_token!)).status).toBe(200);
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'consent.revoke' });
    expect(event).toMatchObject({ outcome: 'success', clientId: thirdParty.clientId });
  });

  it("refuses another user's client, an unknown one, a missing or oversized id: nothing is revoked", async () => {
    const [client, user, stranger] = await Promise.all([createClient({ firstParty: false }), createUser(), createUser()]);
    const theirToken = await consentWithTokens(client, stranger);
    const cookie = await signInToAccountFrom(user);
    for (const body of [{ client_id: client.clientId }, { client_id: 'no-such-client' }, {}, { client_id: 'x'.repeat(3000) }]) {
      const res = await postAccount(cookie, '/account/apps/revoke', body);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('That application has no access to your account.');
    }
    expect(await findConsentedScopes(env.DB, stranger.id, client.clientId)).not.toBeNull();
    expect((await refresh(client, theirToken)).status).toBe(200);
    const events = await queryAuditEvents(env.DB, { userId: user.id, type: 'consent.revoke' });
    expect(events.every((e) => e.outcome === 'failure' && e.clientId === null)).toBe(true);
  });

  it('says when no application has access', async () => {
    const user = await createUser();
    const html = await (await getAccount(await signInToAccountFrom(user))).text();
    expect(html).toContain('No application has access to your account.');
  });
});
