// /email/not-me and /email/delete-account: the account page's mailed links (a button on GET, consumed by POST).
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { completeAccountDeletion, findDeletionUser } from '../account/deletion.ts';
import { undoFromNotice } from '../account/notices.ts';
import type { AppEnv } from '../env.ts';
import { put } from '../i18n/catalogue.ts';
import { pageBase, renderError } from '../interaction/render.ts';
import { texts } from '../middleware/language.ts';
import { readForm } from '../oauth/params.ts';
import { LinkConfirmPage } from '../ui/link-confirm.ts';
import { NoticePage } from '../ui/password.ts';

const T = (c: Context<AppEnv>) => texts(c).account.mail;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const expired = (c: Context<AppEnv>) => renderError(c, 400, 'linkExpired', { text: T(c).expired });
const notice = (c: Context<AppEnv>, title: string, message: string) => c.html(NoticePage({ ...pageBase(c), title, message }));

async function postedToken(c: Context<AppEnv>): Promise<string | null> {
  const values = (await readForm(c.req.raw)).getAll('token');
  return values.length === 1 && TOKEN_PATTERN.test(values[0]!) ? values[0]! : null;
}

function confirmPage(c: Context<AppEnv>, props: { title: string; lead: string; action: string; token: string; submit: string }) {
  // The token is in this page's URL: no Referer may carry it anywhere.
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(LinkConfirmPage({ ...pageBase(c), ...props }));
}

export const accountMailRoutes = new Hono<AppEnv>()
  .get('/not-me', (c) => {
    const token = c.req.query('token') ?? '';
    if (!TOKEN_PATTERN.test(token)) return expired(c);
    return confirmPage(c, { title: T(c).notMeTitle, lead: T(c).notMeLead, action: '/email/not-me', token, submit: T(c).notMeSubmit });
  })
  .post('/not-me', async (c) => {
    const token = await postedToken(c);
    return token && (await undoFromNotice(c, token)) ? notice(c, T(c).notMeTitle, T(c).notMeDone) : expired(c);
  })
  .get('/delete-account', async (c) => {
    const token = c.req.query('token') ?? '';
    const user = TOKEN_PATTERN.test(token) ? await findDeletionUser(c, token) : null;
    if (!user) return expired(c);
    return confirmPage(c, { title: T(c).deleteTitle, lead: put(T(c).deleteLead, { username: user.username }), action: '/email/delete-account', token, submit: texts(c).account.delete.submit });
  })
  .post('/delete-account', async (c) => {
    const token = await postedToken(c);
    return token && (await completeAccountDeletion(c, token)) ? notice(c, T(c).deletedTitle, T(c).deleted) : expired(c);
  });
