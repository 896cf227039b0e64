// Sign-up (docs/security.md): an answer that is the same whether or not the username or address is taken.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { hashPassword } from '../crypto/password.ts';
import type { AppEnv } from '../env.ts';
import { sendMail } from '../mail/deliver.ts';
import { signupTakenEmail } from '../mail/messages/sign-up.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { consumeInvite } from '../store/invites.ts';
import { findUserByLogin } from '../store/user-email.ts';
import { deleteUser } from '../store/cascades.ts';
import { findUserByUsername, insertUser, type User, UsernameTakenError } from '../store/users.ts';
import { startEmailVerification } from './email-verification.ts';
import type { SignupFields } from './sign-up-form.ts';

/**
 * Everything that depends on existing accounts (the lookups, the insert, the mails) runs after the response,
 * under waitUntil: the answer, its storage round trips and its timing are the same for a taken name or address.
 * `inviteHash` is the invite to consume (SIGNUP=invite), only once the account is certain to be created.
 */
export function startSignup(c: Context<AppEnv>, fields: SignupFields, inviteHash: string | null): void {
  c.executionCtx.waitUntil(createAccount(c, fields, inviteHash).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'sign-up failed', reason: err instanceof Error ? err.message : 'unknown' }));
  }));
}

async function createAccount(c: Context<AppEnv>, fields: SignupFields, inviteHash: string | null): Promise<void> {
  const [byName, byEmail] = await Promise.all([findUserByUsername(c.env.DB, fields.username), findUserByLogin(c.env.DB, fields.email)]);
  const taken = byName ?? byEmail;
  if (taken) return tellOwner(c, taken, byName ? 'username' : 'email');
  const { peppers } = c.get('services');
  let user: User;
  try {
    user = await insertUser(c.env.DB, {
      username: fields.username, email: fields.email, emailVerified: false, name: fields.name || null,
      passwordHash: await hashPassword(fields.password, peppers),
    });
  } catch (err) {
    // Another sign-up took the name between the lookup and the insert: its owner is told as above.
    if (!(err instanceof UsernameTakenError)) throw err;
    const owner = await findUserByUsername(c.env.DB, fields.username);
    return owner ? tellOwner(c, owner, 'username') : undefined;
  }
  // The invite is consumed once, after the insert: a lost race to the same invite removes the account again.
  if (inviteHash !== null && !(await consumeInvite(c.env.DB, inviteHash, nowSeconds()))) {
    await deleteUser(c.env.DB, user.id);
    recordAudit(c, { type: 'signup', outcome: 'failure', detail: 'invite_used' });
    return;
  }
  recordAudit(c, { type: 'signup', outcome: 'success', userId: user.id, detail: inviteHash ? 'invite' : 'open' });
  startEmailVerification(c, user);
}

/** The owner of the taken username or address learns that someone tried (and how to get back in). */
async function tellOwner(c: Context<AppEnv>, owner: User, what: 'username' | 'email'): Promise<void> {
  recordAudit(c, { type: 'signup', outcome: 'failure', userId: owner.id, detail: `${what}_taken` });
  if (!owner.email || owner.disabled) return;
  const { config } = c.get('services');
  const message = { to: owner.email, ...signupTakenEmail(texts(c), config.branding, owner.username, what, `${config.issuer}/password/forgot`) };
  await sendMail(c, message, { type: 'signup-taken', userId: owner.id });
}
