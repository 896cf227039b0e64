// The sessions section: the user's live sessions with their browser, place and address; sign out one or all others.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { readForm } from '../../oauth/params.ts';
import { revokeOtherSessionsRefreshTokens, revokeSessionRefreshTokens } from '../../store/refresh-tokens.ts';
import { endOtherSessions, endOwnSession, listLiveSessions, type LiveSession } from '../../store/session-list.ts';
import { changed, field, refused } from '../forms.ts';
import { describePlace } from '../new-device.ts';
import type { AccountSection } from '../sections.ts';
import type { Messages } from '../../i18n/catalogue.ts';
import { texts } from '../../middleware/language.ts';
import { describeBrowser } from '../user-agent.ts';

const T = (c: Context<AppEnv>) => texts(c).account.sessions;
const ID_HASH = /^[A-Za-z0-9_-]{43}$/;

const routes = new Hono<AppEnv>()
  .post('/end', async (c) => {
    const { user, session } = c.get('account');
    const idHash = field(await readForm(c.req.raw), 'session', 64);
    // This browser's own session is ended by signing out (/logout), not here.
    if (!idHash || !ID_HASH.test(idHash) || idHash === session.idHash) return refused(c, T(c).notFound, 404);
    const now = nowSeconds();
    const ended = await endOwnSession(c.env.DB, user.id, idHash, now);
    recordAudit(c, { type: 'session.end', outcome: ended ? 'success' : 'failure', userId: user.id, detail: 'account' });
    if (!ended) return refused(c, T(c).notFound, 404);
    if (c.get('services').config.logoutRevokesRefreshTokens) await revokeSessionRefreshTokens(c.env.DB, idHash, now);
    return changed(c, 'sessions', 'session-ended');
  })
  .post('/others', async (c) => {
    const { user, session } = c.get('account');
    const now = nowSeconds();
    const count = await endOtherSessions(c.env.DB, user.id, session.idHash, now);
    if (c.get('services').config.logoutRevokesRefreshTokens) await revokeOtherSessionsRefreshTokens(c.env.DB, user.id, session.idHash, now);
    recordAudit(c, { type: 'session.end_others', outcome: 'success', userId: user.id, detail: String(count) });
    return changed(c, 'sessions', 'others-ended');
  });

function when(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function row(t: Messages, s: LiveSession, current: boolean) {
  const T = t.account.sessions;
  const browser = describeBrowser(s.userAgent, t) ?? T.unknownBrowser;
  return html`<li${current ? html` aria-current="true"` : ''}><strong>${browser}</strong>${current ? html` <span class="muted">(${T.thisDevice})</span>` : ''}
<dl class="facts"><dt>${T.started}</dt><dd>${when(s.createdAt)}</dd><dt>${T.place}</dt><dd>${describePlace(s, t)}</dd><dt>${T.address}</dt><dd>${s.ip ?? t.account.unknownPlace}</dd></dl>${
  current ? '' : html`<form method="post" action="/account/sessions/end"><input type="hidden" name="session" value="${s.idHash}"/><button class="secondary" type="submit">${t.signOut}</button></form>`
}</li>`;
}

export const sessionsSection: AccountSection = {
  id: 'sessions',
  title: (t) => t.account.sessions.title,
  async render(c, { user, session }) {
    // The primary, not a replica: right after a sign-out here the list must not show the ended session.
    const sessions = await listLiveSessions(c.env.DB, user.id, nowSeconds());
    const others = sessions.some((s) => s.idHash !== session.idHash);
    return html`<ul class="sessions">${sessions.map((s) => row(texts(c), s, s.idHash === session.idHash))}</ul>${
      others
        ? html`<form method="post" action="/account/sessions/others"><button class="secondary" type="submit">${T(c).signOutOthers}</button></form>`
        : html`<p class="muted">${T(c).none}</p>`
    }`;
  },
  routes,
};
