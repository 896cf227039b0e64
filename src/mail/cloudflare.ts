// Cloudflare's send_email binding (Email Routing / Email Workers), given a raw RFC 5322 message built in mime.ts.
import { randomToken } from '../crypto/random.ts';
import { MailConfigError, type MailMessage, type MailTransport } from './mail.ts';
import { buildMime } from './mime.ts';

/**
 * The binding delivers only to destination addresses verified in the account's Email Routing (or the one address
 * or list the binding names in wrangler.toml), from an address on a zone with Email Routing enabled.
 */
export function cloudflareTransport(binding: SendEmail | undefined, from: string): MailTransport {
  return {
    name: 'cloudflare',
    async send(message: MailMessage) {
      if (!binding) throw new MailConfigError('EMAIL_TRANSPORT=cloudflare needs the SEND_EMAIL binding');
      const { EmailMessage } = await import('cloudflare:email');
      const raw = buildMime(message, { from, nonce: randomToken(18), date: new Date() });
      await binding.send(new EmailMessage(from, message.to, raw));
    },
  };
}
