// /email/not-me and /email/delete-account: the account page's mailed links (a button on GET, consumed by POST).
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { completeAccountDeletion, findDeletionUser } from '../account/deletion.ts';
import { undoFromNotice } from '../account/notices.ts';
import { ACCOUNT_TEXTS } from '../account/texts.ts';
import type { AppEnv } from '../env.ts';
import { renderError } from '../interaction/render.ts';
import { readForm } from '../oauth/params.ts';
import { LinkConfirmPage } from '../ui/link-confirm.ts';
import { NoticePage } from '../ui/password.ts';

const T = ACCOUNT_TEXTS.mail;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const expired = (c: Context<AppEnv>) => renderError(c, 400, T.expiredTitle, T.expired);
const notice = (c: Context<AppEnv>, title: string, message: string) => c.html(NoticePage({ branding: c.get('services').config.branding, title, message }));

async function postedToken(c: Context<AppEnv>): Promise<string | null> {
  const values = (await readForm(c.req.raw)).getAll('token');
  return values.length === 1 && TOKEN_PATTERN.test(values[0]!) ? values[0]! : null;
}

function confirmPage(c: Context<AppEnv>, props: { title: string; lead: string; action: string; token: string; submit: string }) {
  // The token is in this page's URL: no Referer may carry it anywhere.
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(LinkConfirmPage({ branding: c.get('services').config.branding, ...props }));
}

export const accountMailRoutes = new Hono<AppEnv>()
  .get('/not-me', (c) => {
    const token = c.req.query('token') ?? '';
    if (!TOKEN_PATTERN.test(token)) return expired(c);
    return confirmPage(c, { title: T.notMeTitle, lead: T.notMeLead, action: '/email/not-me', token, submit: T.notMeSubmit });
  })
  .post('/not-me', async (c) => {
    const token = await postedToken(c);
    return token && (await undoFromNotice(c, token)) ? notice(c, T.notMeTitle, T.notMeDone) : expired(c);
  })
  .get('/delete-account', async (c) => {
    const token = c.req.query('token') ?? '';
    const user = TOKEN_PATTERN.test(token) ? await findDeletionUser(c, token) : null;
    if (!user) return expired(c);
    return confirmPage(c, { title: T.deleteTitle, lead: T.deleteLead.replace('{username}', user.username), action: '/email/delete-account', token, submit: T.deleteSubmit });
  })
  .post('/delete-account', async (c) => {
    const token = await postedToken(c);
    return token && (await completeAccountDeletion(c, token)) ? notice(c, T.deletedTitle, T.deleted) : expired(c);
  });
