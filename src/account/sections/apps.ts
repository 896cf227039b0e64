// The connected apps section: the user's consents and refresh-token families per client, each with revoke.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { readForm } from '../../oauth/params.ts';
import { listConnectedApps, revokeConnectedApp, type ConnectedApp } from '../../store/connected-apps.ts';
import { changed, field, refused } from '../forms.ts';
import type { AccountSection } from '../sections.ts';
import type { Messages } from '../../i18n/catalogue.ts';
import { texts } from '../../middleware/language.ts';

const T = (c: Context<AppEnv>) => texts(c).account.apps;
// Client ids are at most this long (metadata-document URLs included).
const MAX_CLIENT_ID = 2048;

const routes = new Hono<AppEnv>().post('/revoke', async (c) => {
  const { user } = c.get('account');
  const clientId = field(await readForm(c.req.raw), 'client_id', MAX_CLIENT_ID);
  if (!clientId) return refused(c, T(c).notFound, 404);
  // Scoped to this user: another user's client, or one this user never let in, changes nothing.
  const revoked = await revokeConnectedApp(c.env.DB, user.id, clientId, nowSeconds());
  recordAudit(c, { type: 'consent.revoke', outcome: revoked ? 'success' : 'failure', userId: user.id, clientId: revoked ? clientId : null });
  return revoked ? changed(c, 'apps', 'app-revoked') : refused(c, T(c).notFound, 404);
});

function app(T: Messages['account']['apps'], a: ConnectedApp) {
  const when = new Date(a.lastUsedAt * 1000).toISOString().slice(0, 10);
  return html`<li><strong>${a.name ?? a.clientId}</strong><dl class="facts"><dt>${T.scopes}</dt><dd>${a.scopes ? a.scopes.join(' ') : T.noConsent}</dd><dt>${T.families}</dt><dd>${a.families}</dd><dt>${T.lastUsed}</dt><dd>${when}</dd></dl>
<form method="post" action="/account/apps/revoke"><input type="hidden" name="client_id" value="${a.clientId}"/><button class="secondary" type="submit">${T.revoke}</button></form></li>`;
}

export const appsSection: AccountSection = {
  id: 'apps',
  title: (t) => t.account.apps.title,
  async render(c, { user }) {
    const apps = await listConnectedApps(c.env.DB, user.id, nowSeconds());
    return apps.length ? html`<ul class="apps">${apps.map((a) => app(T(c), a))}</ul>` : html`<p class="muted">${T(c).none}</p>`;
  },
  routes,
};
