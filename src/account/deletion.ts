// Deleting one's own account (issue 14): asked on /account after a recent sign-in and a typed confirmation, done
// only when the single-use link mailed to the account's address is followed (docs/decisions.md).
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { EMAIL_TOKEN_TTL_SECONDS } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { sendMail } from '../mail/deliver.ts';
import { accountDeletionEmail } from '../mail/messages/account-deletion.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { deleteUser } from '../store/cascades.ts';
import { consumeEmailToken, findEmailToken, insertEmailToken } from '../store/email-tokens.ts';
import { findUserById, type User } from '../store/users.ts';

/** Stores the confirmation token (replacing an earlier one) and mails its link, off the response path. */
export function requestAccountDeletion(c: Context<AppEnv>, user: User & { email: string }): void {
  const { config } = c.get('services');
  recordAudit(c, { type: 'account.delete.request', outcome: 'success', userId: user.id });
  c.executionCtx.waitUntil((async () => {
    const token = randomToken(32);
    const now = nowSeconds();
    await insertEmailToken(c.env.DB, {
      tokenHash: await digestToken(token), purpose: 'delete', userId: user.id, email: user.email, codeHash: null,
      tx: null, returnOrigin: null, createdAt: now, expiresAt: now + EMAIL_TOKEN_TTL_SECONDS,
    });
    const url = `${config.issuer}/email/delete-account?token=${token}`;
    const content = accountDeletionEmail(texts(c), config.branding, user.username, url, EMAIL_TOKEN_TTL_SECONDS / 60);
    await sendMail(c, { to: user.email, ...content }, { type: 'account-deletion', userId: user.id });
  })().catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'account deletion request failed', userId: user.id, reason: err instanceof Error ? err.message : 'unknown' }));
  }));
}

/** The live link's user, to show the confirmation button (the GET consumes nothing). */
export async function findDeletionUser(c: Context<AppEnv>, token: string): Promise<User | null> {
  const found = await findEmailToken(c.env.DB, await digestToken(token), 'delete', nowSeconds());
  return found && (await findUserById(c.env.DB, found.userId));
}

/** Consumes the link once and deletes the user with deleteUser's cascade; false when the link is not live. */
export async function completeAccountDeletion(c: Context<AppEnv>, token: string): Promise<boolean> {
  const consumed = await consumeEmailToken(c.env.DB, await digestToken(token), 'delete', nowSeconds());
  const deleted = consumed !== null && (await deleteUser(c.env.DB, consumed.userId));
  recordAudit(c, { type: 'account.delete', outcome: deleted ? 'success' : 'failure', userId: consumed?.userId ?? null });
  return deleted;
}
