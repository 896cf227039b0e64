// The account page's "Linked sign-ins" section (issue 15): upstream providers linked to this account, link and unlink.
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { renderError } from '../interaction/render.ts';
import { put } from '../i18n/catalogue.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { replicaReader } from '../store/db.ts';
import { deleteLinkUnlessLast, listUserLinks } from '../store/upstream-links.ts';
import { providerNames } from '../store/upstream-names.ts';
import { displayName, enabledProvider, startUpstream } from '../upstream/start.ts';
import { ACCOUNT_PATH } from './client.ts';
import type { AccountSection } from './sections.ts';

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export const linkedRoutes = new Hono<AppEnv>()
  // Proof of the local account is this recent sign-in (recentSignIn, sections.ts); the upstream then proves its own.
  .post('/link', async (c) => {
    const form = await c.req.parseBody();
    const provider = await enabledProvider(c, typeof form.provider === 'string' ? form.provider : '');
    if (!provider) return c.redirect(ACCOUNT_PATH, 303);
    return startUpstream(c, provider, null, c.get('account').user.id);
  })
  .post('/unlink', async (c) => {
    const { user } = c.get('account');
    const form = await c.req.parseBody();
    const [issuer, subject] = [form.issuer, form.subject].map((v) => (typeof v === 'string' ? v.slice(0, 2048) : ''));
    if (!(await deleteLinkUnlessLast(c.env.DB, user.id, issuer!, subject!))) {
      const T = texts(c).account.linked;
      return renderError(c, 400, { text: T.lastTitle }, { text: T.last });
    }
    recordAudit(c, { type: 'upstream.unlinked', outcome: 'success', userId: user.id, detail: issuer });
    return c.redirect(ACCOUNT_PATH, 303);
  });

export const linkedSection: AccountSection = {
  id: 'linked',
  title: (t) => t.account.linked.title,
  async render(c, { user }) {
    const [links, names] = await Promise.all([
      listUserLinks(replicaReader(c.env.DB), user.id),
      providerNames(replicaReader(c.env.DB), (work) => c.executionCtx.waitUntil(work)),
    ]);
    const T = texts(c).account.linked;
    const linked = links.map((l) => html`<li>${displayName(l.provider)} <span class="muted">${T.since} ${day(l.createdAt)}</span>
      <form method="post" action="/account/linked/unlink"><input type="hidden" name="issuer" value="${l.issuer}"/><input type="hidden" name="subject" value="${l.subject}"/><button type="submit" class="secondary">${T.unlink}</button></form></li>`);
    const offered = names.filter((n) => !links.some((l) => l.provider === n));
    return html`${links.length ? html`<ul class="links">${linked}</ul>` : html`<p>${T.none}</p>`}${offered.map(
      (n) => html`<form method="post" action="/account/linked/link"><input type="hidden" name="provider" value="${n}"/><button type="submit" class="secondary">${put(T.link, { name: displayName(n) })}</button></form>`,
    )}`;
  },
  routes: linkedRoutes,
};
