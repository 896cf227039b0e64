// The delete-account section: a recent sign-in, the username typed to confirm, then a confirmation link by email.
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../oauth/params.ts';
import { NoticePage } from '../../ui/password.ts';
import { requestAccountDeletion } from '../deletion.ts';
import { field, refused } from '../forms.ts';
import { isAccountChangeThrottled } from '../throttle.ts';
import type { AccountSection } from '../sections.ts';
import { ACCOUNT_TEXTS } from '../texts.ts';

const T = ACCOUNT_TEXTS.delete;

const routes = new Hono<AppEnv>().post('/', async (c) => {
  const { user } = c.get('account');
  const typed = field(await readForm(c.req.raw), 'confirm', 256)?.trim();
  if (typed !== user.username) return refused(c, T.mismatch);
  if (!user.email) return refused(c, T.noEmail);
  if (await isAccountChangeThrottled(c, user.id, 'delete')) return refused(c, ACCOUNT_TEXTS.throttled, 429);
  requestAccountDeletion(c, { ...user, email: user.email });
  const { branding } = c.get('services').config;
  return c.html(NoticePage({ branding, title: T.sentTitle, message: T.sent.replace('{email}', user.email), link: { label: ACCOUNT_TEXTS.back, href: '/account' } }));
});

export const deleteSection: AccountSection = {
  id: 'delete',
  title: T.title,
  async render() {
    return html`<p>${T.lead}</p><form method="post" action="/account/delete"><label for="delete-confirm">${T.confirm}</label><input id="delete-confirm" name="confirm" type="text" required autocomplete="off" maxlength="256"/><button class="secondary" type="submit">${T.submit}</button></form>`;
  },
  routes,
};
