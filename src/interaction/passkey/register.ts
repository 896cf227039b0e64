// Adding a passkey (WebAuthn L3 §7.1), from /account or the enrolment step: the page's options, then the answer.
import type { Context } from 'hono';
import { toBase64url } from '../../crypto/encoding.ts';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { put } from '../../i18n/catalogue.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { replicaReader } from '../../store/db.ts';
import { insertPasskey, listUserPasskeys, PASSKEY_NICKNAME_MAX_CHARS } from '../../store/passkeys.ts';
import type { User } from '../../store/users.ts';
import type { Html } from '../../ui/layout.ts';
import { WebAuthnFields } from '../../ui/webauthn.ts';
import { WebAuthnError } from '../../webauthn/errors.ts';
import { readPostedRegistration } from '../../webauthn/response.ts';
import { verifyRegistration } from '../../webauthn/verify.ts';
import { claimChallenge, expectedFor, relyingParty } from './ceremony.ts';

/**
 * The options navigator.credentials.create needs: a discoverable credential with user verification, attestation
 * "none", and the user's passkeys excluded so that one authenticator is not registered twice (§5.4.3).
 */
export async function registrationFields(c: Context<AppEnv>, user: Pick<User, 'id' | 'username'>, challenge: string): Promise<Html> {
  const { rpId, name } = relyingParty(c);
  const existing = await listUserPasskeys(replicaReader(c.env.DB), user.id);
  return WebAuthnFields({
    mode: 'create', challenge, rpId, label: texts(c).account.passkeys.add, failed: texts(c).passkeyNoAnswer, credentialIds: existing.map((p) => p.credentialId),
    // user.id: the user id's bytes, never the username (§14.6.1: no personal data in the user handle).
    user: { id: toBase64url(new TextEncoder().encode(user.id)), name: user.username, rpName: name },
  });
}

/** The nickname the form gave, or one made from the date. */
function nicknameOf(c: Context<AppEnv>, form: URLSearchParams, now: number): string {
  const typed = (form.get('nickname') ?? '').trim().slice(0, PASSKEY_NICKNAME_MAX_CHARS);
  return typed || put(texts(c).account.passkeys.defaultName, { day: new Date(now * 1000).toISOString().slice(0, 10) });
}

/**
 * Verifies the posted registration against `challenge` (user verification required: the passkey may later be the
 * whole sign-in), claims the challenge once, and stores the credential. Audited either way.
 */
export async function registerPasskey(c: Context<AppEnv>, userId: string, form: URLSearchParams, challenge: string, expiresAt: number): Promise<{ ok: true } | { ok: false; error: string }> {
  const now = nowSeconds();
  try {
    const posted = readPostedRegistration(form);
    const credential = await verifyRegistration(posted, expectedFor(c, challenge, true));
    if (!(await claimChallenge(c, userId, challenge, expiresAt))) throw new WebAuthnError('challenge');
    const added = await insertPasskey(c.env.DB, { ...credential, credentialId: credential.id, userId, transports: posted.transports, nickname: nicknameOf(c, form, now), createdAt: now });
    if (!added) throw new WebAuthnError('already_registered');
  } catch (err) {
    if (!(err instanceof WebAuthnError)) throw err;
    recordAudit(c, { type: 'passkey.register_failed', outcome: 'failure', userId, detail: err.reason });
    return { ok: false, error: texts(c).account.passkeys.notAdded };
  }
  recordAudit(c, { type: 'passkey.registered', outcome: 'success', userId });
  return { ok: true };
}
