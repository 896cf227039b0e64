// The account page's "Two-step sign-in" section: the authenticator app (TOTP) on or off, and recovery codes.
import { html } from 'hono/html';
import { RECOVERY_CODE_COUNT } from '../crypto/recovery-codes.ts';
import { texts } from '../middleware/language.ts';
import { fill, strong } from '../ui/layout.ts';
import { replicaReader } from '../store/db.ts';
import { findMfaFacts } from '../store/mfa-facts.ts';
import type { AccountSection } from './sections.ts';
import { securityRoutes } from './security-routes.ts';

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export const securitySection: AccountSection = {
  id: 'security',
  title: (t) => t.twoStep,
  async render(c, { user }) {
    const t = texts(c);
    const facts = await findMfaFacts(replicaReader(c.env.DB), user.id);
    const totp = facts.totpSince === null
      ? html`<p>${fill(t.authAppOff, strong(t.off))}</p><form method="post" action="/account/security/totp"><button type="submit">${t.setUpAuthApp}</button></form>`
      : html`<p>${fill(t.authAppOn, strong(t.on), day(facts.totpSince))}</p><form method="post" action="/account/security/totp/disable"><button type="submit" class="secondary">${t.turnOffAuthApp}</button></form>`;
    // Recovery codes back up either second factor: offered with the app or a passkey, or while some are left.
    const recovery = facts.totpSince === null && !facts.hasPasskey && facts.recoveryCodesLeft === 0 ? null
      : html`<p>${fill(t.recoveryLeft, strong(String(facts.recoveryCodesLeft)), String(RECOVERY_CODE_COUNT))}</p><form method="post" action="/account/security/recovery-codes"><button type="submit" class="secondary">${t.makeNewCodes}</button></form>`;
    return html`${totp}${recovery}`;
  },
  routes: securityRoutes,
};
