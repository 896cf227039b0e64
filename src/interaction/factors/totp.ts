// The authenticator app (TOTP, RFC 6238) as a second factor, and its enrolment during sign-in (issue 13).
import type { Context } from 'hono';
import { html } from 'hono/html';
import { otpauthUri, totpSecretText } from '../../crypto/totp.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import type { Messages } from '../../i18n/catalogue.ts';
import { checkTotpCode, enrolTotp, pendingTotpSecret, readTotpSecret, type TotpCheck } from '../../mfa/totp.ts';
import { replicaReader } from '../../store/db.ts';
import { findMfaFacts } from '../../store/mfa-facts.ts';
import { findUserById } from '../../store/users.ts';
import { TotpCodeField, TotpEnrolmentFields } from '../../ui/totp.ts';
import type { SecondFactorMethod, SecondFactorResult } from '../second-factors.ts';
import { sendSecurityNoticeTo } from '../../account/notices.ts';

function refusal(t: Messages, check: Exclude<TotpCheck, 'ok'> | 'enrolled'): SecondFactorResult {
  return check === 'throttled' ? { ok: false, error: t.tooManyAttempts, status: 429 } : { ok: false, error: t.wrongTotp, status: 200 };
}

const codeOf = (form: URLSearchParams) => form.get('code') ?? '';

export const totpFactor: SecondFactorMethod = {
  name: 'totp',
  // RFC 8176 §2: "otp", a one-time password.
  amr: ['otp'],
  // Whether there is a secret, not the secret: that is read (and decrypted) only when a code is checked.
  async isEnrolled(c, userId, known) {
    return (known ?? (await findMfaFacts(replicaReader(c.env.DB), userId))).totpSince !== null;
  },
  // The page's form holds the factor's fields and its button (second-factors.ts): without one, only Enter sends it.
  async render(c) {
    const t = texts(c);
    return html`${TotpCodeField(t, null)}<button type="submit">${t.verify}</button>`;
  },
  async verify(c, form, { userId, clientId }) {
    const secret = await readTotpSecret(c, userId);
    const check = secret ? await checkTotpCode(c, userId, secret, codeOf(form), clientId) : 'wrong';
    if (check !== 'throttled') recordAudit(c, { type: 'mfa.totp.verify', outcome: check === 'ok' ? 'success' : 'failure', userId, clientId, detail: check === 'ok' ? null : check });
    return check === 'ok' ? { ok: true } : refusal(texts(c), check);
  },
  enrolment: {
    async render(c: Context<AppEnv>, { userId, challenge }) {
      const { config, dataKeys } = c.get('services');
      const user = await findUserById(replicaReader(c.env.DB), userId);
      const secret = await pendingTotpSecret(dataKeys, userId, challenge);
      const uri = otpauthUri(secret, config.branding.productName, user?.username ?? userId);
      const t = texts(c);
      return html`${TotpEnrolmentFields({ t, uri, secretText: totpSecretText(secret) })}${TotpCodeField(t, null)}<button type="submit">${t.turnOn}</button>`;
    },
    async complete(c, form, { userId, clientId, challenge }) {
      const result = await enrolTotp(c, userId, challenge, codeOf(form), clientId);
      if (!result.ok) {
        if (result.check !== 'throttled') recordAudit(c, { type: 'mfa.totp.enrol', outcome: 'failure', userId, clientId, detail: result.check });
        return refusal(texts(c), result.check);
      }
      recordAudit(c, { type: 'mfa.totp.enrol', outcome: 'success', userId, clientId });
      sendSecurityNoticeTo(c, userId, 'mfa');
      if (!result.recoveryCodes) return { ok: true };
      recordAudit(c, { type: 'mfa.recovery_codes.generate', outcome: 'success', userId, clientId });
      const t = texts(c);
      return { ok: true, interstitial: { title: t.yourRecoveryCodes, message: t.saveCodes, codes: result.recoveryCodes } };
    },
  },
};
