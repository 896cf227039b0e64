// The pages a browser navigates to (sign-in, consent, logout, device, account, dev): one sub-app with its own error pages.
import { Hono } from 'hono/tiny';
import type { AppEnv } from './env.ts';
import { pageErrors } from './errors.ts';
import { noStore, sameOriginForms } from './middleware/browser.ts';
import { accountMailRoutes } from './routes/account-mail.ts';
import { accountRoutes } from './routes/account.ts';
import { authorizeRoutes } from './routes/authorize.ts';
import { consentRoutes } from './routes/consent.ts';
import { devHome, devRoutes } from './routes/dev.ts';
import { emailRoutes } from './routes/email.ts';
import { deviceRoutes } from './routes/device.ts';
import { loginRoutes } from './routes/login.ts';
import { logoutRoutes } from './routes/logout.ts';
import { passwordChangeRoutes } from './routes/password-change.ts';
import { passwordRoutes } from './routes/password.ts';
import { secondFactorRoutes } from './routes/second-factor.ts';

import { signupRoutes } from './routes/signup.ts';
import { upstreamRoutes } from './routes/upstream.ts';
/** The top-level path segments the pages live under; they, `/` and /assets get the document headers. */
export const PAGE_SEGMENTS = ['authorize', 'login', 'consent', 'logout', 'device', 'dev', 'account', 'password', 'email', 'signup', 'upstream'];

export const pages = new Hono<AppEnv>();
for (const path of ['/login', '/login/*', '/consent', '/logout/confirm', '/device', '/device/*', '/account', '/account/*', '/signup']) pages.use(path, sameOriginForms());
for (const path of ['/authorize', '/login', '/login/*', '/consent', '/logout', '/logout/*', '/device', '/device/*', '/account', '/account/*', '/signup']) pages.use(path, noStore());
pages.route('/authorize', authorizeRoutes);
pages.route('/login/second-factor', secondFactorRoutes);
pages.route('/login', loginRoutes);
pages.route('/consent', consentRoutes);
pages.route('/logout', logoutRoutes);
pages.route('/device', deviceRoutes);
pages.route('/dev', devRoutes);
pages.route('/account', accountRoutes);
pages.get('/', devHome);
// Accounts by email: forgot/reset/change password, email verification (same-origin forms, never cached).
for (const path of ['/password/*', '/email/*']) pages.use(path, sameOriginForms(), noStore());
pages.route('/password/change', passwordChangeRoutes);
pages.route('/password', passwordRoutes);
pages.route('/email', accountMailRoutes);
pages.route('/email', emailRoutes);
pages.route('/signup', signupRoutes);
// Upstream providers: the start is a same-origin form; the callback is the upstream's top-level redirect (a GET).
pages.use('/upstream/start', sameOriginForms());
pages.use('/upstream/*', noStore());
pages.route('/upstream', upstreamRoutes);
pages.onError(pageErrors);
