// Security notices (issue 14, flow 6) and their "this wasn't me" link: a single-use token in D1 that signs the
// account out everywhere, revokes its refresh tokens and mails a password reset link.
import type { Context } from 'hono';
import { mintPasswordReset } from '../accounts/email-tokens.ts';
import { nowSeconds } from '../clock.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { sendMail } from '../mail/deliver.ts';
import { securityNoticeEmail, type SecurityNoticeKind } from '../mail/messages/security-notice.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { signOutEverywhere } from '../store/cascades.ts';
import { addEmailToken, consumeEmailToken } from '../store/email-tokens.ts';
import { findUserById, type User } from '../store/users.ts';

export type { SecurityNoticeKind } from '../mail/messages/security-notice.ts';

/** A notice is read late (a weekend, a holiday): its link lives a week, and all it can do is protect the account. */
export const NOT_ME_TTL_SECONDS = 7 * 86400;

export interface NoticeOptions {
  /** Another address than the user's (an email change notifies the old one). */
  to?: string | null;
  /** Where it happened: browser, place, address. */
  detail?: string | null;
}

/**
 * Mails a security notice off the response path (waitUntil); nothing when the account has no address. The
 * passkey and TOTP code call it after a change: `sendSecurityNotice(c, user, 'passkey')` or `(c, user, 'mfa')`.
 */
export function sendSecurityNotice(c: Context<AppEnv>, user: Pick<User, 'id' | 'username' | 'email'>, kind: SecurityNoticeKind, o: NoticeOptions = {}): void {
  const to = o.to ?? user.email;
  if (!to) return;
  c.executionCtx.waitUntil(mailNotice(c, user, kind, to, o.detail ?? null).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'security notice failed', kind, userId: user.id, reason: err instanceof Error ? err.message : 'unknown' }));
  }));
}

/** The same, for a user known by id only (the sign-in's enrolment steps): the row is read off the response path. */
export function sendSecurityNoticeTo(c: Context<AppEnv>, userId: string, kind: SecurityNoticeKind): void {
  c.executionCtx.waitUntil(findUserById(c.env.DB, userId).then((user) => {
    if (user?.email) sendSecurityNotice(c, user, kind);
  }).catch(() => undefined));
}

async function mailNotice(c: Context<AppEnv>, user: Pick<User, 'id' | 'username'>, kind: SecurityNoticeKind, to: string, detail: string | null): Promise<void> {
  const { config } = c.get('services');
  const token = randomToken(32);
  const now = nowSeconds();
  await addEmailToken(c.env.DB, {
    tokenHash: await digestToken(token), purpose: 'not_me', userId: user.id, email: to, codeHash: null,
    tx: null, returnOrigin: null, createdAt: now, expiresAt: now + NOT_ME_TTL_SECONDS,
  });
  const url = `${config.issuer}/email/not-me?token=${token}`;
  const content = securityNoticeEmail(texts(c), config.branding, { username: user.username, kind, detail, url, days: NOT_ME_TTL_SECONDS / 86400 });
  await sendMail(c, { to, ...content }, { type: `security-notice.${kind}`, userId: user.id });
}

/**
 * "This wasn't me": consumes the link once, ends every session (this browser's too), revokes every refresh
 * token, and mails a reset link to the account's current address. False when the link is unknown, used or expired.
 */
export async function undoFromNotice(c: Context<AppEnv>, token: string): Promise<boolean> {
  const consumed = await consumeEmailToken(c.env.DB, await digestToken(token), 'not_me', nowSeconds());
  const user = consumed && (await findUserById(c.env.DB, consumed.userId));
  recordAudit(c, { type: 'security.not_me', outcome: user ? 'success' : 'failure', userId: user?.id ?? null });
  if (!user) return false;
  await signOutEverywhere(c.env.DB, user.id);
  const { config } = c.get('services');
  const reset = await mintPasswordReset(c.env.DB, user, { issuer: config.issuer, branding: config.branding, now: nowSeconds(), tx: null, returnOrigin: null });
  if (reset) c.executionCtx.waitUntil(sendMail(c, reset, { type: 'password-reset', userId: user.id }));
  return true;
}
