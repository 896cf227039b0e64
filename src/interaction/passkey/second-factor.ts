// The passkey as a second factor after a password (issue 13): only the signed-in user's credentials, and enrolment.
import type { Context } from 'hono';
import { nowSeconds } from '../../clock.ts';
import { LOGIN_TRANSACTION_TTL_SECONDS } from '../../constants.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { replicaReader } from '../../store/db.ts';
import { findMfaFacts } from '../../store/mfa-facts.ts';
import { findPasskeyWithUser, listUserPasskeys } from '../../store/passkeys.ts';
import { findUserById } from '../../store/users.ts';
import { WebAuthnFields } from '../../ui/webauthn.ts';
import { WebAuthnError } from '../../webauthn/errors.ts';
import { readPostedAssertion } from '../../webauthn/response.ts';
import { verifyAssertion } from '../../webauthn/verify.ts';
import type { SecondFactorContext, SecondFactorMethod, SecondFactorResult } from '../second-factors.ts';
import { claimChallenge, expectedFor, notePasskeyUse, relyingParty } from './ceremony.ts';
import { registerPasskey, registrationFields } from './register.ts';
import { sendSecurityNoticeTo } from '../../account/notices.ts';


/**
 * The assertion must come from one of this user's credentials (another user's is refused like an unknown one).
 * User verification is not required here: the password was the knowledge factor, the passkey adds possession.
 */
async function verifyPasskeyFactor(c: Context<AppEnv>, form: URLSearchParams, ctx: SecondFactorContext): Promise<SecondFactorResult> {
  try {
    const assertion = readPostedAssertion(form);
    const found = await findPasskeyWithUser(replicaReader(c.env.DB), assertion.credentialId);
    if (!found || found.user.id !== ctx.userId) throw new WebAuthnError('unknown_credential');
    const verified = await verifyAssertion(assertion, expectedFor(c, ctx.challenge, false), found.passkey);
    // The challenge lives as long as the page's transaction; claimed once, for an answer that verified.
    if (!(await claimChallenge(c, ctx.userId, ctx.challenge, nowSeconds() + LOGIN_TRANSACTION_TTL_SECONDS))) throw new WebAuthnError('challenge');
    notePasskeyUse(c, found.passkey.credentialId, verified);
  } catch (err) {
    if (!(err instanceof WebAuthnError)) throw err;
    recordAudit(c, { type: 'passkey.failure', outcome: 'failure', userId: ctx.userId, clientId: ctx.clientId, detail: err.reason });
    return { ok: false, error: texts(c).passkeyFactorRefused, status: 200 };
  }
  recordAudit(c, { type: 'passkey.verified', outcome: 'success', userId: ctx.userId, clientId: ctx.clientId });
  return { ok: true };
}

export const passkeyFactor: SecondFactorMethod = {
  name: 'passkey',
  // RFC 8176 "hwk": proof of possession of a hardware-bound key; the step adds "mfa".
  amr: ['hwk'],
  isEnrolled: async (c, userId, known) => (known ?? (await findMfaFacts(replicaReader(c.env.DB), userId))).hasPasskey,
  async render(c, ctx) {
    // allowCredentials (WebAuthn §5.5): the ids the sign-in read with the user; read here only when it did not.
    const credentialIds = ctx.facts?.passkeyIds ?? (await listUserPasskeys(replicaReader(c.env.DB), ctx.userId)).map((p) => p.credentialId);
    return WebAuthnFields({ mode: 'get', challenge: ctx.challenge, rpId: relyingParty(c).rpId, label: texts(c).useYourPasskey, failed: texts(c).passkeyNoAnswer, credentialIds });
  },
  verify: verifyPasskeyFactor,
  enrolment: {
    async render(c, ctx) {
      // The name the authenticator shows for the new credential; the id if the user vanished meanwhile.
      const user = await findUserById(replicaReader(c.env.DB), ctx.userId);
      return registrationFields(c, user ?? { id: ctx.userId, username: ctx.userId }, ctx.challenge);
    },
    async complete(c, form, ctx) {
      const result = await registerPasskey(c, ctx.userId, form, ctx.challenge, nowSeconds() + LOGIN_TRANSACTION_TTL_SECONDS);
      if (!result.ok) return { ok: false, error: texts(c).account.passkeys.notAdded, status: 200 };
      sendSecurityNoticeTo(c, ctx.userId, 'passkey');
      return { ok: true };
    },
  },
};
