// The account page's "Two-step sign-in" section: the authenticator app (TOTP) on or off, and recovery codes.
import { html } from 'hono/html';
import { RECOVERY_CODE_COUNT } from '../crypto/recovery-codes.ts';
import { replicaReader } from '../store/db.ts';
import { findMfaFacts } from '../store/mfa-facts.ts';
import type { AccountSection } from './sections.ts';
import { securityRoutes } from './security-routes.ts';

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export const securitySection: AccountSection = {
  id: 'security',
  title: 'Two-step sign-in',
  async render(c, { user }) {
    const facts = await findMfaFacts(replicaReader(c.env.DB), user.id);
    const totp = facts.totpSince === null
      ? html`<p>Authenticator app: <strong>off</strong></p><form method="post" action="/account/security/totp"><button type="submit">Set up an authenticator app</button></form>`
      : html`<p>Authenticator app: <strong>on</strong> since ${day(facts.totpSince)}</p><form method="post" action="/account/security/totp/disable"><button type="submit" class="secondary">Turn off the authenticator app</button></form>`;
    // Recovery codes back up either second factor: offered with the app or a passkey, or while some are left.
    const recovery = facts.totpSince === null && !facts.hasPasskey && facts.recoveryCodesLeft === 0 ? null
      : html`<p>Recovery codes: <strong>${facts.recoveryCodesLeft}</strong> of ${RECOVERY_CODE_COUNT} unused</p><form method="post" action="/account/security/recovery-codes"><button type="submit" class="secondary">Make new recovery codes</button></form>`;
    return html`${totp}${recovery}`;
  },
  routes: securityRoutes,
};
