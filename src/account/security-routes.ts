// POST /account/security/*: turn the authenticator app on (enrolment confirmed by a code) and off, new recovery codes.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { nowSeconds } from '../clock.ts';
import { randomToken } from '../crypto/random.ts';
import { otpauthUri, totpSecretText } from '../crypto/totp.ts';
import type { AppEnv } from '../env.ts';
import { pageBase } from '../interaction/render.ts';
import { openPageEnvelope, sealPageEnvelope } from '../interaction/transaction.ts';
import { recordAudit } from '../middleware/audit.ts';
import { regenerateRecoveryCodes } from '../mfa/recovery-codes.ts';
import { enrolTotp, pendingTotpSecret, type TotpCheck } from '../mfa/totp.ts';
import { deleteTotpSecret, findTotpSecret } from '../store/totp-secrets.ts';
import { RecoveryCodesPage, TotpEnrolmentPage } from '../ui/totp.ts';
import { ACCOUNT_CLIENT_ID, ACCOUNT_PATH } from './client.ts';
import { sendSecurityNotice } from './notices.ts';

const ENROLMENT_TYP = 'totp-enrolment+jwt';

/** The enrolment page: its envelope carries the user and a random challenge, the secret derives from both. */
async function showEnrolment(c: Context<AppEnv>, challenge: string, error: TotpCheck | null) {
  const { config, dataKeys } = c.get('services');
  const { user } = c.get('account');
  const secret = await pendingTotpSecret(dataKeys, user.id, challenge);
  const envelope = await sealPageEnvelope(c, ENROLMENT_TYP, { sub: user.id, ch: challenge });
  const base = pageBase(c);
  const message = error === 'throttled' ? base.t.tooManyAttempts : error ? base.t.wrongTotp : null;
  const page = TotpEnrolmentPage({
    ...base, envelope, error: message,
    uri: otpauthUri(secret, config.branding.productName, user.username), secretText: totpSecretText(secret),
  });
  return c.html(page, error === 'throttled' ? 429 : 200);
}

/** A page's base with its title from the catalogue. */
const base = (c: Context<AppEnv>, title: 'authAppTurnedOn' | 'newRecoveryCodes') => {
  const page = pageBase(c);
  return { ...page, title: page.t[title] };
};

export const securityRoutes = new Hono<AppEnv>();

securityRoutes.post('/totp', async (c) => {
  const { user } = c.get('account');
  if (await findTotpSecret(c.env.DB, user.id)) return c.redirect(ACCOUNT_PATH, 303);
  return showEnrolment(c, randomToken(32), null);
});

securityRoutes.post('/totp/confirm', async (c) => {
  const { user } = c.get('account');
  const form = await c.req.parseBody();
  const claims = await openPageEnvelope(c, ENROLMENT_TYP, typeof form.enrolment === 'string' ? form.enrolment : null);
  const challenge = claims?.sub === user.id && typeof claims.ch === 'string' ? claims.ch : null;
  if (!challenge) return c.redirect(ACCOUNT_PATH, 303);
  const code = typeof form.code === 'string' ? form.code : '';
  const result = await enrolTotp(c, user.id, challenge, code, ACCOUNT_CLIENT_ID);
  if (!result.ok) {
    if (result.check === 'enrolled') return c.redirect(ACCOUNT_PATH, 303);
    if (result.check !== 'throttled') recordAudit(c, { type: 'mfa.totp.enrol', outcome: 'failure', userId: user.id, clientId: ACCOUNT_CLIENT_ID, detail: result.check });
    return showEnrolment(c, challenge, result.check);
  }
  recordAudit(c, { type: 'mfa.totp.enrol', outcome: 'success', userId: user.id, clientId: ACCOUNT_CLIENT_ID });
  sendSecurityNotice(c, user, 'mfa');
  if (!result.recoveryCodes) return c.redirect(ACCOUNT_PATH, 303);
  recordAudit(c, { type: 'mfa.recovery_codes.generate', outcome: 'success', userId: user.id, clientId: ACCOUNT_CLIENT_ID });
  return c.html(RecoveryCodesPage({ ...base(c, 'authAppTurnedOn'), codes: result.recoveryCodes }));
});

securityRoutes.post('/totp/disable', async (c) => {
  const { user } = c.get('account');
  if (await deleteTotpSecret(c.env.DB, user.id)) {
    recordAudit(c, { type: 'mfa.totp.disable', outcome: 'success', userId: user.id, clientId: ACCOUNT_CLIENT_ID });
    sendSecurityNotice(c, user, 'mfa');
  }
  return c.redirect(ACCOUNT_PATH, 303);
});

securityRoutes.post('/recovery-codes', async (c) => {
  const { dataKeys } = c.get('services');
  const { user } = c.get('account');
  const codes = await regenerateRecoveryCodes(c.env.DB, dataKeys, user.id, nowSeconds());
  recordAudit(c, { type: 'mfa.recovery_codes.generate', outcome: 'success', userId: user.id, clientId: ACCOUNT_CLIENT_ID, detail: 'regenerated' });
  sendSecurityNotice(c, user, 'mfa');
  return c.html(RecoveryCodesPage({ ...base(c, 'newRecoveryCodes'), codes }));
});
