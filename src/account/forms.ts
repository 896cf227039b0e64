// What the account sections' POST handlers share: reading bounded fields, the answers after a change or a refusal.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { NoticePage } from '../ui/password.ts';
import { ACCOUNT_PATH } from './client.ts';
import { ACCOUNT_TEXTS } from './texts.ts';

/** The single value of a field, or null when missing, repeated or longer than `max` characters. */
export function field(form: URLSearchParams, name: string, max: number): string | null {
  const values = form.getAll(name);
  return values.length === 1 && values[0]!.length <= max ? values[0]! : null;
}

/** After a change: back to the page (POST/redirect/GET), which says what was done (a key of ACCOUNT_TEXTS.done). */
export function changed(c: Context<AppEnv>, sectionId: string, done: string) {
  return c.redirect(`${ACCOUNT_PATH}?done=${encodeURIComponent(done)}#${sectionId}`, 303);
}

/** A refused change: the reason, and the way back (nothing was changed). */
export function refused(c: Context<AppEnv>, message: string, status: 400 | 404 | 429 = 400) {
  c.status(status);
  const { branding } = c.get('services').config;
  return c.html(NoticePage({ branding, title: ACCOUNT_TEXTS.problemTitle, message, link: { label: ACCOUNT_TEXTS.back, href: ACCOUNT_PATH } }));
}
