// The mail contracts: a message (plain text plus HTML), a transport that sends one, and which transport is configured.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message or throws; delivery (retries, logging, audit) is deliver.ts's. */
export interface MailTransport {
  name: MailTransportName;
  send(message: MailMessage): Promise<void>;
}

export type MailTransportName = 'cloudflare' | 'http' | 'outbox';

export interface MailSettings {
  transport: MailTransportName;
  /** The sender address (EMAIL_FROM); the outbox needs none. */
  from: string;
}

export class MailConfigError extends Error {}

/** The vars the choice reads (a subset of the Worker's bindings, also what the admin CLI reads from wrangler.toml). */
export interface MailVars {
  EMAIL_TRANSPORT?: string | undefined;
  EMAIL_FROM?: string | undefined;
  SEND_EMAIL?: unknown;
}

// A header line must never carry CR or LF (RFC 5322 §2.2: header injection); one address, no display-name games.
const ADDRESS_PATTERN = /^[^\s@<>"(),;:\\]{1,64}@[^\s@<>"(),;:\\]{1,255}$/;

export function isMailAddress(value: string): boolean {
  return ADDRESS_PATTERN.test(value);
}

/**
 * EMAIL_TRANSPORT picks the back-end: `cloudflare` (the send_email binding), `http` (EMAIL_API_URL), `outbox`
 * (DEV_MODE only). Unset: the outbox in dev mode, else `cloudflare` when the binding exists, else `http`.
 */
export function readMailSettings(env: MailVars, devMode: boolean): MailSettings {
  const raw = env.EMAIL_TRANSPORT || (devMode ? 'outbox' : env.SEND_EMAIL ? 'cloudflare' : 'http');
  if (raw !== 'cloudflare' && raw !== 'http' && raw !== 'outbox') throw new MailConfigError('EMAIL_TRANSPORT must be cloudflare, http or outbox');
  if (raw === 'outbox' && !devMode) throw new MailConfigError('EMAIL_TRANSPORT=outbox needs DEV_MODE=true');
  const from = env.EMAIL_FROM ?? '';
  if (raw !== 'outbox' && !isMailAddress(from)) throw new MailConfigError('EMAIL_FROM must be one email address');
  return { transport: raw, from: from || 'no-reply@localhost' };
}
