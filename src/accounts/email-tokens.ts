// Minting the one-time email tokens and their messages, shared by the Worker and the admin CLI (no request needed).
import { EMAIL_TOKEN_TTL_SECONDS } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomDigits, randomToken } from '../crypto/random.ts';
import type { MailMessage } from '../mail/mail.ts';
import { emailVerificationEmail } from '../mail/messages/email-verification.ts';
import { passwordResetEmail } from '../mail/messages/password-reset.ts';
import type { D1Like } from '../store/db.ts';
import { insertEmailToken } from '../store/email-tokens.ts';
import type { MailBranding } from '../ui/email.ts';
import type { User } from '../store/users.ts';

export interface MintOptions {
  issuer: string;
  branding: MailBranding;
  now: number;
}

const MINUTES = EMAIL_TOKEN_TTL_SECONDS / 60;

// 256 bits from the CSPRNG, twice the 128-bit floor for one-time secrets: never guessable, so a fast digest suffices.
const newToken = () => randomToken(32);

/** The code's stored form: bound to its token, so a code from one mail cannot match another's row. */
export function verificationCodeHash(tokenHash: string, code: string): Promise<string> {
  return digestToken(`${tokenHash}:${code}`);
}

/**
 * Stores a reset token for the user (replacing older ones) and returns the mail carrying its link; null when the
 * account cannot receive one (no address, disabled). `tx` is the sign-in transaction to resume afterwards.
 */
export async function mintPasswordReset(
  db: D1Like, user: User, o: MintOptions & { tx: string | null; returnOrigin: string | null },
): Promise<MailMessage | null> {
  if (!user.email || user.disabled) return null;
  const token = newToken();
  await insertEmailToken(db, {
    tokenHash: await digestToken(token), purpose: 'reset', userId: user.id, email: user.email, codeHash: null,
    tx: o.tx, returnOrigin: o.returnOrigin, createdAt: o.now, expiresAt: o.now + EMAIL_TOKEN_TTL_SECONDS,
  });
  const url = `${o.issuer}/password/reset?token=${token}`;
  return { to: user.email, ...passwordResetEmail(o.branding, user.username, url, MINUTES) };
}

/** Stores a verification token and code for the user's current address and returns the mail; null without one. */
export async function mintEmailVerification(db: D1Like, user: User, o: MintOptions): Promise<MailMessage | null> {
  if (!user.email || user.disabled) return null;
  const token = newToken();
  const code = randomDigits(6);
  const tokenHash = await digestToken(token);
  await insertEmailToken(db, {
    tokenHash, purpose: 'verify', userId: user.id, email: user.email, codeHash: await verificationCodeHash(tokenHash, code),
    tx: null, returnOrigin: null, createdAt: o.now, expiresAt: o.now + EMAIL_TOKEN_TTL_SECONDS,
  });
  const url = `${o.issuer}/email/verify?token=${token}`;
  return { to: user.email, ...emailVerificationEmail(o.branding, user.username, url, code, MINUTES) };
}
