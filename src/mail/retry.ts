// Bounded retries of one send, shared by the Worker (under waitUntil) and the admin CLI.
import type { MailMessage, MailTransport } from './mail.ts';

// Three attempts over about three seconds, well inside waitUntil's 30 s after the response.
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
