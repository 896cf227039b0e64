// Two back-ends usable anywhere (the Worker and the admin CLI): an HTTPS JSON email API over fetch, the dev outbox.
import { randomToken } from '../crypto/random.ts';
import { nowSeconds } from '../clock.ts';
import type { D1Like } from '../store/db.ts';
import { insertOutboxMessage } from '../store/dev-outbox.ts';
import { MailConfigError, type MailMessage, type MailTransport } from './mail.ts';

/**
 * POST {from, to, subject, text, html} as JSON with `Authorization: Bearer EMAIL_API_KEY`: the request shape of
 * Resend's /emails and of gateways that accept it; any 2xx is success. The response body is never read or logged.
 */
export function httpTransport(url: string | undefined, apiKey: string | undefined, from: string, fetcher: typeof fetch = fetch): MailTransport {
  return {
    name: 'http',
    async send(message: MailMessage) {
      if (!url || !/^https:\/\//.test(url)) throw new MailConfigError('EMAIL_TRANSPORT=http needs EMAIL_API_URL (https)');
      if (!apiKey) throw new MailConfigError('EMAIL_TRANSPORT=http needs the EMAIL_API_KEY secret');
      const res = await fetcher(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ from, to: message.to, subject: message.subject, text: message.text, html: message.html }),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`email API answered ${res.status}`);
    },
  };
}

/** The dev outbox: refuses outside dev mode, so mail can never be parked in a production database by mistake. */
export function outboxTransport(db: D1Like, devMode: boolean): MailTransport {
  return {
    name: 'outbox',
    async send(message: MailMessage) {
      if (!devMode) throw new MailConfigError('the dev outbox exists only with DEV_MODE=true');
      await insertOutboxMessage(db, { id: randomToken(12), ...message, sentAt: nowSeconds() });
    },
  };
}
