// The password section: a new password needs the current one, then the policy and replacePassword's cascade.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { changeOwnPassword } from '../../accounts/password-change.ts';
import { PASSWORD_MAX_CHARS } from '../../constants.ts';
import { verifyPassword } from '../../crypto/password.ts';
import type { AppEnv } from '../../env.ts';
import { renderLogin } from '../../interaction/render.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { readForm } from '../../oauth/params.ts';
import { accountClient, accountRequest } from '../client.ts';
import { field, refused } from '../forms.ts';
import { describeDevice, requestDevice } from '../new-device.ts';
import { sendSecurityNotice } from '../notices.ts';
import { isAccountChangeThrottled } from '../throttle.ts';
import type { AccountSection } from '../sections.ts';
import { texts } from '../../middleware/language.ts';
import { weakPassword } from '../../ui/password.ts';

const T = (c: Context<AppEnv>) => texts(c).account.password;

const routes = new Hono<AppEnv>().post('/', async (c) => {
  const { user } = c.get('account');
  const form = await readForm(c.req.raw);
  const current = field(form, 'current', PASSWORD_MAX_CHARS);
  const password = field(form, 'password', PASSWORD_MAX_CHARS);
  const { config, peppers } = c.get('services');
  if (await isAccountChangeThrottled(c, user.id, 'password')) return refused(c, texts(c).tooManyAttempts, 429);
  if (!current || !(await verifyPassword(current, user.passwordHash, peppers)).ok) {
    recordAudit(c, { type: 'password.change', outcome: 'failure', userId: user.id, detail: 'wrong_current' });
    return refused(c, T(c).wrongCurrent);
  }
  if (password === null || password !== field(form, 'confirm', PASSWORD_MAX_CHARS)) return refused(c, T(c).mismatch);
  const problem = await changeOwnPassword(c, user, password, 'account');
  if (problem) return refused(c, weakPassword(texts(c), problem));
  sendSecurityNotice(c, user, 'password', { detail: describeDevice(requestDevice(c), texts(c)) });
  // The cascade ended every session, this one too (docs/decisions.md): the page signs in again, with the new password.
  return renderLogin(c, accountClient(config.issuer), accountRequest(config.issuer), { username: user.username, notice: T(c).signInAgain });
});

export const passwordSection: AccountSection = {
  id: 'password',
  title: (t) => t.account.password.title,
  async render(c, { user }) {
    // Element ids other than the section's own ("password" is the section's id on the page).
    return html`<form method="post" action="/account/password">
<input type="text" name="username" value="${user.username}" autocomplete="username" hidden/>
<label for="current-password">${T(c).current}</label><input id="current-password" name="current" type="password" required autocomplete="current-password" maxlength="${PASSWORD_MAX_CHARS}"/>
<label for="new-password">${T(c).next}</label><input id="new-password" name="password" type="password" required autocomplete="new-password" maxlength="${PASSWORD_MAX_CHARS}"/>
<label for="confirm-password">${T(c).confirm}</label><input id="confirm-password" name="confirm" type="password" required autocomplete="new-password" maxlength="${PASSWORD_MAX_CHARS}"/>
<button class="secondary" type="submit">${T(c).submit}</button></form>`;
  },
  routes,
};
