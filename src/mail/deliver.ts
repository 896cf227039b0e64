// Delivery off the response path: a few attempts with backoff, then a log line and an audit event; never a token.
import type { Context } from 'hono';
import type { Bindings } from '../bindings.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { cloudflareTransport } from './cloudflare.ts';
import { type MailMessage, type MailSettings, type MailTransport, readMailSettings } from './mail.ts';
import { sendWithRetries } from './retry.ts';
import { httpTransport, outboxTransport } from './transports.ts';

export function createTransport(env: Bindings, settings: MailSettings, devMode: boolean): MailTransport {
  if (settings.transport === 'cloudflare') return cloudflareTransport(env.SEND_EMAIL, settings.from);
  if (settings.transport === 'http') return httpTransport(env.EMAIL_API_URL, env.EMAIL_API_KEY, settings.from);
  return outboxTransport(env.DB, devMode);
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
