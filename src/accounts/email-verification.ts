// Email verification (docs/security.md): a link or a 6-digit code from one mail, either consumed once in D1.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { timingSafeEqualStrings } from '../crypto/compare.ts';
import { digestToken } from '../crypto/digest.ts';
import type { AppEnv } from '../env.ts';
import { isVerifyCodeThrottled } from '../guards/email-throttle.ts';
import { sendMail } from '../mail/deliver.ts';
import { recordAudit } from '../middleware/audit.ts';
import { consumeEmailToken, findUserEmailToken, type EmailToken } from '../store/email-tokens.ts';
import { markEmailVerified } from '../store/user-email.ts';
import type { User } from '../store/users.ts';
import { mintEmailVerification, verificationCodeHash } from './email-tokens.ts';

/**
 * Mails a link and a code for the user's current address, off the response path. Later flows call this whenever
 * the address is set or changes (sign-up, the account page); the admin CLI mints the same way (user send-verification).
 */
export function startEmailVerification(c: Context<AppEnv>, user: User): void {
  const { config } = c.get('services');
  c.executionCtx.waitUntil((async () => {
    const message = await mintEmailVerification(c.env.DB, user, { issuer: config.issuer, branding: config.branding, now: nowSeconds() });
    if (message) await sendMail(c, message, { type: 'email-verification', userId: user.id });
  })().catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'email verification failed', userId: user.id, reason: err instanceof Error ? err.message : 'unknown' }));
  }));
}

async function markVerified(c: Context<AppEnv>, consumed: EmailToken | null, via: 'link' | 'code'): Promise<boolean> {
  // The address must still be the user's: a link to an address changed since proves nothing about the new one.
  const ok = consumed !== null && (await markEmailVerified(c.env.DB, consumed.userId, consumed.email, nowSeconds()));
  recordAudit(c, { type: 'email.verify', outcome: ok ? 'success' : 'failure', userId: consumed?.userId ?? null, detail: via });
  return ok;
}

/** The link's token, consumed once; true when the address is now verified. */
export async function confirmEmailByLink(c: Context<AppEnv>, token: string): Promise<boolean> {
  return markVerified(c, await consumeEmailToken(c.env.DB, await digestToken(token), 'verify', nowSeconds()), 'link');
}

export type CodeOutcome = 'verified' | 'wrong' | 'throttled';

/** A code typed by the user the form names: throttled per user, compared in constant time, then consumed once. */
export async function confirmEmailByCode(c: Context<AppEnv>, userId: string, code: string): Promise<CodeOutcome> {
  if (await isVerifyCodeThrottled(c, userId)) return 'throttled';
  const now = nowSeconds();
  const live = await findUserEmailToken(c.env.DB, userId, 'verify', now);
  const matches = live?.codeHash != null && /^\d{6}$/.test(code)
    && (await timingSafeEqualStrings(await verificationCodeHash(live.tokenHash, code), live.codeHash));
  if (!live || !matches) {
    recordAudit(c, { type: 'email.verify', outcome: 'failure', userId, detail: 'wrong_code' });
    return 'wrong';
  }
  return (await markVerified(c, await consumeEmailToken(c.env.DB, live.tokenHash, 'verify', now), 'code')) ? 'verified' : 'wrong';
}
