// Delivery off the response path: a few attempts with backoff, then a log line and an audit event; never a token.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { type MailMessage, type MailTransport, readMailSettings } from './mail.ts';
import { createTransport } from './transports.ts';

// Bounded: three attempts over about three seconds, well inside waitUntil's 30 s after the response.
export const MAIL_ATTEMPTS = 3;
const BACKOFF_MS = [500, 2000];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends with retries; returns the last error, or null once sent. `wait` is the pause between attempts. */
export async function sendWithRetries(transport: MailTransport, message: MailMessage, wait: (ms: number) => Promise<void> = sleep): Promise<unknown> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < MAIL_ATTEMPTS; attempt++) {
    if (attempt > 0) await wait(BACKOFF_MS[attempt - 1] ?? 2000);
    try {
      await transport.send(message);
      return null;
    } catch (err) {
      lastError = err;
    }
  }
  return lastError;
}

/** What a message is, for the log and the audit log (never its body or links: they carry tokens). */
export interface MailPurpose {
  type: string;
  userId: string | null;
}

/** Sends the message and records the outcome; resolves either way (the caller runs it under waitUntil). */
export async function sendMail(c: Context<AppEnv>, message: MailMessage, purpose: MailPurpose): Promise<void> {
  const { config } = c.get('services');
  let error: unknown;
  let transportName = 'unconfigured';
  try {
    const transport = createTransport(c.env, readMailSettings(c.env, config.devMode), config.devMode);
    transportName = transport.name;
    error = await sendWithRetries(transport, message);
  } catch (err) {
    error = err;
  }
  const failed = error !== null;
  if (failed) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    console.error(JSON.stringify({ msg: 'mail send failed', mail: purpose.type, transport: transportName, userId: purpose.userId, reason }));
  }
  recordAudit(c, { type: `mail.${purpose.type}`, outcome: failed ? 'failure' : 'success', userId: purpose.userId, detail: transportName });
}
