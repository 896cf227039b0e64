// What the account sections' POST handlers share: reading bounded fields, the answers after a change or a refusal.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { pageBase } from '../interaction/render.ts';
import { NoticePage } from '../ui/password.ts';
import { ACCOUNT_PATH } from './client.ts';

/** The single value of a field, or null when missing, repeated or longer than `max` characters. */
export function field(form: URLSearchParams, name: string, max: number): string | null {
  const values = form.getAll(name);
  return values.length === 1 && values[0]!.length <= max ? values[0]! : null;
}

/** After a change: back to the page (POST/redirect/GET), which says what was done (a key of the catalogue's account.done). */
export function changed(c: Context<AppEnv>, sectionId: string, done: string) {
  return c.redirect(`${ACCOUNT_PATH}?done=${encodeURIComponent(done)}#${sectionId}`, 303);
}

/** A refused change: the reason, and the way back (nothing was changed). */
export function refused(c: Context<AppEnv>, message: string, status: 400 | 404 | 429 = 400) {
  c.status(status);
  const base = pageBase(c);
  return c.html(NoticePage({ ...base, title: base.t.account.problemTitle, message, link: { label: base.t.account.back, href: ACCOUNT_PATH } }));
}
