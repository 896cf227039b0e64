// Forgot password (docs/security.md): a request that answers the same for every name, a link consumed once in D1.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { digestToken } from '../crypto/digest.ts';
import { hashPassword } from '../crypto/password.ts';
import type { AppEnv } from '../env.ts';
import { clearAccountLockout } from '../guards/login-throttle.ts';
import { sendMail } from '../mail/deliver.ts';
import { recordAudit } from '../middleware/audit.ts';
import { checkPasswordPolicy } from '../policy/password.ts';
import { replacePassword } from '../store/cascades.ts';
import { consumeEmailToken, findEmailToken } from '../store/email-tokens.ts';
import { findUserByLogin } from '../store/user-email.ts';
import { findUserById, type User } from '../store/users.ts';
import { mintPasswordReset } from './email-tokens.ts';

/**
 * Everything that depends on whether the account exists (the lookup, the token, the mail) runs after the
 * response, under waitUntil: the answer, its storage round trips and its timing are the same for every name.
 */
export function requestPasswordReset(c: Context<AppEnv>, identifier: string, tx: string | null, returnOrigin: string | null): void {
  c.executionCtx.waitUntil(issueReset(c, identifier, tx, returnOrigin).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'password reset request failed', reason: err instanceof Error ? err.message : 'unknown' }));
  }));
}

async function issueReset(c: Context<AppEnv>, identifier: string, tx: string | null, returnOrigin: string | null): Promise<void> {
  const { config } = c.get('services');
  const user = await findUserByLogin(c.env.DB, identifier);
  const message = user && (await mintPasswordReset(c.env.DB, user, { issuer: config.issuer, branding: config.branding, now: nowSeconds(), tx, returnOrigin }));
  if (!user || !message) {
    recordAudit(c, { type: 'password.reset.request', outcome: 'failure', userId: user?.id ?? null, detail: user ? 'no_address' : 'unknown_account' });
    return;
  }
  recordAudit(c, { type: 'password.reset.request', outcome: 'success', userId: user.id });
  await sendMail(c, message, { type: 'password-reset', userId: user.id });
}

/** The live reset token's user, to show the form (null: unknown, used, expired or another purpose). */
export async function findResetUser(c: Context<AppEnv>, token: string): Promise<User | null> {
  const found = await findEmailToken(c.env.DB, await digestToken(token), 'reset', nowSeconds());
  const user = found && (await findUserById(c.env.DB, found.userId));
  return user && !user.disabled ? user : null;
}

export type ResetOutcome =
  | { kind: 'invalid' }
  | { kind: 'weak'; problem: string; username: string }
  | { kind: 'done'; user: User; tx: string | null; returnOrigin: string | null };

/**
 * The policy is checked before the token is consumed (a refused password leaves the link usable); then one
 * conditional DELETE ... RETURNING consumes it, and the new password ends every session and refresh token.
 */
export async function completePasswordReset(c: Context<AppEnv>, token: string, password: string): Promise<ResetOutcome> {
  const user = await findResetUser(c, token);
  if (!user) return { kind: 'invalid' };
  const { config, peppers } = c.get('services');
  const problem = checkPasswordPolicy(password, { username: user.username, brandName: config.branding.productName });
  if (problem) return { kind: 'weak', problem, username: user.username };
  const passwordHash = await hashPassword(password, peppers);
  const consumed = await consumeEmailToken(c.env.DB, await digestToken(token), 'reset', nowSeconds());
  if (!consumed || consumed.userId !== user.id) return { kind: 'invalid' };
  await replacePassword(c.env.DB, user.id, passwordHash);
  await clearAccountLockout(c, user.username);
  recordAudit(c, { type: 'password.reset', outcome: 'success', userId: user.id });
  return { kind: 'done', user, tx: consumed.tx, returnOrigin: consumed.returnOrigin };
}
