// The profile section: the name, and the email address, which a change sends back to verification (issue 14).
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { startEmailVerification } from '../../accounts/email-verification.ts';
import { showVerifyCodePage } from '../../accounts/verify-code-page.ts';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { isMailAddress } from '../../mail/mail.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { readForm } from '../../oauth/params.ts';
import { setUserEmail, setUserName } from '../../store/user-profile.ts';
import { changed, field, refused } from '../forms.ts';
import { describeDevice, requestDevice } from '../new-device.ts';
import { sendSecurityNotice } from '../notices.ts';
import { isAccountChangeThrottled } from '../throttle.ts';
import type { AccountSection } from '../sections.ts';
import { texts } from '../../middleware/language.ts';

const T = (c: Context<AppEnv>) => texts(c).account.profile;
const MAX_NAME = 200;
// A name is one line of text: it goes into id_tokens and userinfo (OIDC Core §5.1 `name`), never control characters.
const CONTROL = /\p{Cc}/u;
// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters.
const MAX_EMAIL = 254;

const routes = new Hono<AppEnv>()
  .post('/name', async (c) => {
    const { user } = c.get('account');
    const name = field(await readForm(c.req.raw), 'name', MAX_NAME * 4)?.trim();
    if (name === undefined || name.length > MAX_NAME || CONTROL.test(name)) return refused(c, T(c).nameTooLong);
    await setUserName(c.env.DB, user.id, name || null, nowSeconds());
    recordAudit(c, { type: 'account.name', outcome: 'success', userId: user.id });
    return changed(c, 'profile', 'name');
  })
  .post('/email', async (c) => {
    const { user } = c.get('account');
    const email = field(await readForm(c.req.raw), 'email', MAX_EMAIL * 4)?.trim();
    if (!email || email.length > MAX_EMAIL || !isMailAddress(email)) return refused(c, T(c).badEmail);
    if (user.email?.toLowerCase() === email.toLowerCase() && user.emailVerified) return refused(c, T(c).sameEmail);
    if (await isAccountChangeThrottled(c, user.id, 'email')) return refused(c, texts(c).tooManyAttempts, 429);
    await setUserEmail(c.env.DB, user.id, email, nowSeconds());
    recordAudit(c, { type: 'account.email', outcome: 'success', userId: user.id });
    startEmailVerification(c, { ...user, email, emailVerified: false });
    // The old address hears of it (flow 6): whoever took the account must not quietly move its mail.
    if (user.email && user.email.toLowerCase() !== email.toLowerCase()) {
      sendSecurityNotice(c, user, 'email', { to: user.email, detail: describeDevice(requestDevice(c), texts(c)) });
    }
    return showVerifyCodePage(c, { id: user.id, email });
  });

export const profileSection: AccountSection = {
  id: 'profile',
  title: (t) => t.account.profile.title,
  async render(c, { user }) {
    const status = user.email ? (user.emailVerified ? T(c).verified : T(c).unverified) : null;
    return html`<dl class="facts"><dt>${texts(c).username}</dt><dd>${user.username}</dd>${[
      user.name ? html`<dt>${texts(c).name}</dt><dd>${user.name}</dd>` : null,
      user.email ? html`<dt>${texts(c).email}</dt><dd>${user.email} <span class="muted">(${status})</span></dd>` : null,
    ]}</dl>
<form method="post" action="/account/profile/name"><label for="name">${texts(c).name}</label><input id="name" name="name" type="text" maxlength="${MAX_NAME}" autocomplete="name" value="${user.name ?? ''}"/><button class="secondary" type="submit">${T(c).saveName}</button></form>
<form method="post" action="/account/profile/email"><label for="email">${texts(c).email}</label><input id="email" name="email" type="email" required maxlength="${MAX_EMAIL}" autocomplete="email" value="${user.email ?? ''}"/><button class="secondary" type="submit">${T(c).changeEmail}</button></form>`;
  },
  routes,
};
