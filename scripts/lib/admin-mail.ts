// Mail from the admin CLI: the Worker's own messages and tokens (src/accounts/), sent through the dev outbox locally
// or the HTTPS email API remotely (the send_email binding exists only inside the Worker).
import { mintEmailVerification, mintPasswordReset } from '../../src/accounts/email-tokens.ts';
import { mintInvite } from '../../src/accounts/invites.ts';
import { nowSeconds } from '../../src/clock.ts';
import { sendWithRetries } from '../../src/mail/retry.ts';
import { readMailSettings, type MailMessage, type MailTransport, type MailVars } from '../../src/mail/mail.ts';
import { httpTransport, outboxTransport } from '../../src/mail/transports.ts';
import type { D1Like } from '../../src/store/db.ts';
import type { User } from '../../src/store/users.ts';
import { type Actor, recordAdminEvent } from './admin-audit.ts';
import { CliError } from './cli-error.ts';

export interface MailSetup {
  vars: Record<string, string>;
  remote: boolean;
}

/** Locally the dev outbox (local state is a development database); remotely EMAIL_TRANSPORT=http with EMAIL_API_KEY. */
function chooseTransport(db: D1Like, { vars, remote }: MailSetup): MailTransport {
  if (!remote) return outboxTransport(db, true);
  const settings = readMailSettings(vars as MailVars, false);
  if (settings.transport !== 'http') {
    throw new CliError('with --remote the CLI sends through EMAIL_TRANSPORT=http only (the send_email binding exists only inside the Worker)');
  }
  return httpTransport(vars.EMAIL_API_URL, process.env.EMAIL_API_KEY, settings.from);
}

async function deliver(db: D1Like, setup: MailSetup, message: MailMessage | null, user: User | null): Promise<string> {
  if (!message) throw new CliError(`user ${user?.username} has no email address or is disabled`);
  const transport = chooseTransport(db, setup);
  const error = await sendWithRetries(transport, message);
  if (error !== null) throw new CliError(`sending failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  return transport.name;
}

/** The links' issuer and the mail's branding from the same vars the Worker reads, with readConfig's defaults. */
function mintOptions({ vars }: MailSetup) {
  const issuer = (vars.ISSUER ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#]+/.test(issuer)) throw new CliError('ISSUER is not set in wrangler.toml [vars]');
  const accentColor = /^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/.test(vars.BRAND_ACCENT_COLOR ?? '') ? vars.BRAND_ACCENT_COLOR! : '#2563eb';
  const branding = { productName: vars.BRAND_NAME || 'edge-oidc', accentColor };
  return { issuer, branding, now: nowSeconds() };
}

/** `user send-reset`: a password reset link, as if the user had asked (no sign-in to resume afterwards). */
export async function sendPasswordReset(db: D1Like, actor: Actor, setup: MailSetup, user: User): Promise<string> {
  const message = await mintPasswordReset(db, user, { ...mintOptions(setup), tx: null, returnOrigin: null });
  const transport = await deliver(db, setup, message, user);
  await recordAdminEvent(db, actor, 'admin.user.send-reset', { userId: user.id }, { username: user.username, transport });
  return transport;
}

/** `user send-verification`: a link and a code for the user's current address. */
export async function sendVerification(db: D1Like, actor: Actor, setup: MailSetup, user: User): Promise<string> {
  const message = await mintEmailVerification(db, user, mintOptions(setup));
  const transport = await deliver(db, setup, message, user);
  await recordAdminEvent(db, actor, 'admin.user.send-verification', { userId: user.id }, { username: user.username, transport });
  return transport;
}

export interface SentInvite {
  transport: string;
  /** The link, for the operator to print only locally (dev): remotely it is only in the mail. */
  url: string;
  expiresAt: number;
}

/** `user invite`: a single-use sign-up link for the address (SIGNUP=invite), mailed; the audit log gets no token. */
export async function sendInvite(db: D1Like, actor: Actor, setup: MailSetup, email: string): Promise<SentInvite> {
  const { url, expiresAt, message } = await mintInvite(db, email, mintOptions(setup));
  const transport = await deliver(db, setup, message, null);
  await recordAdminEvent(db, actor, 'admin.user.invite', {}, { email, transport });
  return { transport, url, expiresAt };
}
