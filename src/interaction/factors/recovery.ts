// A recovery code as the second factor of one sign-in: used once, audited, the user told how many remain (issue 13).
import { html } from 'hono/html';
import { nowSeconds } from '../../clock.ts';
import { loginSucceeded } from '../../guards/login-throttle.ts';
import { reserveSecondFactorAttempt } from '../../guards/second-factor-throttle.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { useRecoveryCode } from '../../mfa/recovery-codes.ts';
import { replicaReader } from '../../store/db.ts';
import { findMfaFacts } from '../../store/mfa-facts.ts';
import { RecoveryCodeField } from '../../ui/totp.ts';
import type { SecondFactorMethod } from '../second-factors.ts';

export const recoveryFactor: SecondFactorMethod = {
  name: 'recovery',
  // RFC 8176 has no value for a recovery code; it is a one-time password, so "otp" (docs/decisions.md).
  amr: ['otp'],
  /**
   * Offered beside another second factor (the authenticator app or a passkey), in case that one is lost; codes left
   * over with no such factor (TOTP turned off, no passkey) are no second factor to ask for.
   */
  async isEnrolled(c, userId, known) {
    const facts = known ?? (await findMfaFacts(replicaReader(c.env.DB), userId));
    return facts.recoveryCodesLeft > 0 && (facts.totpSince !== null || facts.hasPasskey);
  },
  async render(c) {
    const t = texts(c);
    return html`${RecoveryCodeField(t)}<button type="submit" class="secondary">${t.useRecoveryCode}</button>`;
  },
  /** The throttle first (Durable Objects), then the one D1 primary write that uses the code exactly once. */
  async verify(c, form, { userId, clientId }) {
    const t = texts(c);
    const attempt = await reserveSecondFactorAttempt(c, userId, clientId);
    if (attempt.throttled) return { ok: false, error: t.tooManyAttempts, status: 429 };
    const left = await useRecoveryCode(c.env.DB, c.get('services').dataKeys, userId, form.get('recovery_code') ?? '', nowSeconds());
    if (left === null) {
      recordAudit(c, { type: 'mfa.recovery_code.use', outcome: 'failure', userId, clientId });
      return { ok: false, error: t.wrongRecoveryCode, status: 200 };
    }
    loginSucceeded(c, attempt);
    recordAudit(c, { type: 'mfa.recovery_code.use', outcome: 'success', userId, clientId, detail: `remaining=${left}` });
    const message = t.codesRemain(left);
    return { ok: true, interstitial: { title: t.recoveryCodeUsed, message: left > 2 ? message : `${message} ${t.makeNewCodesHint}` } };
  },
};
