// Sign-up invites (docs/security.md): minted by the admin CLI, bound to an address, consumed once in D1 at sign-up.
import { INVITE_TTL_SECONDS } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { MailMessage } from '../mail/mail.ts';
import { en } from '../i18n/en.ts';
import { inviteEmail } from '../mail/messages/sign-up.ts';
import type { D1Like } from '../store/db.ts';
import { findInvite, insertInvite, type Invite } from '../store/invites.ts';
import type { MintOptions } from './email-tokens.ts';

export { consumeInviteForEmail, findInviteForEmail } from '../store/invites.ts';

export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface MintedInvite {
  url: string;
  expiresAt: number;
  message: MailMessage;
}

/** Stores an invite for the address (replacing older ones) and returns its link and the mail carrying it. */
export async function mintInvite(db: D1Like, email: string, o: MintOptions): Promise<MintedInvite> {
  // 256 bits from the CSPRNG, as the other email tokens: never guessable, so a fast digest suffices.
  const token = randomToken(32);
  const expiresAt = o.now + INVITE_TTL_SECONDS;
  await insertInvite(db, { tokenHash: await digestToken(token), email, createdAt: o.now, expiresAt });
  const url = `${o.issuer}/signup?invite=${token}`;
  return { url, expiresAt, message: { to: email, ...inviteEmail(en, o.branding, email, url, INVITE_TTL_SECONDS / 86_400) } };
}

/** The live invite a link's token names (null: malformed, unknown, used or expired). */
export async function findInviteByToken(db: D1Like, token: string, now: number): Promise<Invite | null> {
  return INVITE_TOKEN_PATTERN.test(token) ? findInvite(db, await digestToken(token), now) : null;
}
