// The delete-account section: a recent sign-in, the username typed to confirm, then a confirmation link by email.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../oauth/params.ts';
import { pageBase } from '../../interaction/render.ts';
import { NoticePage } from '../../ui/password.ts';
import { requestAccountDeletion } from '../deletion.ts';
import { field, refused } from '../forms.ts';
import { isAccountChangeThrottled } from '../throttle.ts';
import type { AccountSection } from '../sections.ts';
import { texts } from '../../middleware/language.ts';

const T = (c: Context<AppEnv>) => texts(c).account.delete;

const routes = new Hono<AppEnv>().post('/', async (c) => {
  const { user } = c.get('account');
  const typed = field(await readForm(c.req.raw), 'confirm', 256)?.trim();
  if (typed !== user.username) return refused(c, T(c).mismatch);
  if (!user.email) return refused(c, T(c).noEmail);
  if (await isAccountChangeThrottled(c, user.id, 'delete')) return refused(c, texts(c).tooManyAttempts, 429);
  requestAccountDeletion(c, { ...user, email: user.email });
  return c.html(NoticePage({ ...pageBase(c), title: texts(c).checkEmail, message: texts(c).account.delete.sent.replace('{email}', user.email), link: { label: texts(c).account.back, href: '/account' } }));
});

export const deleteSection: AccountSection = {
  id: 'delete',
  title: (t) => t.account.delete.title,
  async render(c) {
    return html`<p>${T(c).lead}</p><form method="post" action="/account/delete"><label for="delete-confirm">${T(c).confirm}</label><input id="delete-confirm" name="confirm" type="text" required autocomplete="off" maxlength="256"/><button class="secondary" type="submit">${T(c).submit}</button></form>`;
  },
  routes,
};
