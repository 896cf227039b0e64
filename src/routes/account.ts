// GET /account and its sections' routes: the signed-in user's own page (issue 13 and 14), behind the account session.
import { Hono } from 'hono/tiny';
import { accountClient, accountRequest } from '../account/client.ts';
import { ACCOUNT_SECTIONS } from '../account/sections.ts';
import { accountSession, recentSignIn } from '../account/session.ts';
import type { Messages } from '../i18n/catalogue.ts';
import type { AppEnv } from '../env.ts';
import { runRemainingSteps } from '../interaction/remaining.ts';
import { pageBase } from '../interaction/render.ts';
import { AccountPage } from '../ui/account.ts';

export const accountRoutes = new Hono<AppEnv>();
accountRoutes.use('*', accountSession());
accountRoutes.get('/', async (c) => {
  const { config } = c.get('services');
  const account = c.get('account');
  // The account client's journey: a step the policy asks for (a second factor, say) comes before the page.
  const journey = { client: accountClient(config.issuer), request: accountRequest(config.issuer), ...account, consented: null, signedInNow: false };
  const paused = await runRemainingSteps(c, journey);
  if (paused) return paused;
  const base = pageBase(c);
  const sections = await Promise.all(ACCOUNT_SECTIONS.map(async (s) => ({ id: s.id, title: s.title(base.t), body: await s.render(c, account) })));
  // Only a known key shows a text: the query cannot put words on the page.
  const done = c.req.query('done') ?? '';
  const notice = Object.hasOwn(base.t.account.done, done) ? base.t.account.done[done as keyof Messages['account']['done']] : null;
  return c.html(AccountPage({ ...base, username: account.user.username, sections, notice }));
});
for (const section of ACCOUNT_SECTIONS) {
  if (!section.routes) continue;
  accountRoutes.use(`/${section.id}/*`, recentSignIn());
  accountRoutes.route(`/${section.id}`, section.routes);
}
