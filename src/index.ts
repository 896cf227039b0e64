// Wiring only: global middleware, one route module per endpoint, one error handler.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { MAX_BODY_BYTES } from './constants.ts';
import type { AppEnv, Bindings } from './env.ts';
import { insertAuditEvent } from './store/audit.ts';
import { nowSeconds } from './store/db.ts';
import { guardBindings, StorageUnavailableError } from './store/guard.ts';
import { pruneExpired } from './store/retention.ts';
import { auditBatch } from './middleware/audit.ts';
import { noStore, sameOriginForms } from './middleware/browser.ts';
import { OAuthError } from './oauth/errors.ts';
import { assetRoutes } from './routes/assets.ts';
import { authorizeRoutes } from './routes/authorize.ts';
import { consentRoutes } from './routes/consent.ts';
import { devHome, devRoutes } from './routes/dev.ts';
import { deviceAuthorizationRoutes } from './routes/device-authorization.ts';
import { deviceRoutes } from './routes/device.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { renderError } from './routes/interaction.ts';
import { introspectRoutes } from './routes/introspect.ts';
import { loginRoutes } from './routes/login.ts';
import { logoutRoutes } from './routes/logout.ts';
import { revokeRoutes } from './routes/revoke.ts';
import { tokenRoutes } from './routes/token.ts';
import { userinfoRoutes } from './routes/userinfo.ts';
import { loadServices } from './services.ts';

const app = new Hono<AppEnv>();
// The paths a browser navigates to (HTML pages and their errors), and with /assets, the documents they load.
const PAGES = ['authorize', 'login', 'consent', 'logout', 'device', 'dev'];
const pathsUnder = (names: string[]) => new RegExp(`^/(${names.join('|')})(/|$)`);
const BROWSER_PATHS = pathsUnder(PAGES);
const DOCUMENT_PATHS = pathsUnder([...PAGES, 'assets']);

// Every request id is ours: Hono adopts a caller's X-Request-Id up to `limitLength` characters, and the id goes
// into the audit log, where a caller must not be able to pick it. With 0, every incoming id is too long, so
// Hono generates one for each request (and still answers it in X-Request-Id).
app.use(requestId({ limitLength: 0 }));
app.use(async (c, next) => {
  c.set('services', await loadServices(c.env));
  await next();
});
app.use(auditBatch);
// Pages (and the assets they load) get every document header. JSON answers are never rendered, so they get the
// set that matters for an API (OWASP REST Security Cheat Sheet): no framing, no sniffing, no referrer, HSTS, a
// CSP that allows nothing. Each header is CPU on every request; the API set is 5 headers instead of 12.
const documentHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'https:'],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
});
const apiHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  removePoweredBy: false,
});
app.use((c, next) => (c.req.path === '/' || DOCUMENT_PATHS.test(c.req.path) ? documentHeaders(c, next) : apiHeaders(c, next)));
// Browsers may read metadata, keys, tokens (public clients) and userinfo cross-origin; never the login pages.
// Discovery and JWKS are public documents: their GET answers carry `Access-Control-Allow-Origin: *` among
// their own fixed headers (src/routes/discovery.ts), with or without an Origin, since a shared cache may hand
// them to a browser. Hono's cors answers their preflights; on a GET it would build a response before the
// route's and copy it over, half of what serving these documents from memory costs.
app.options('/.well-known/*', cors({ origin: '*', allowMethods: ['GET'] }));
// These answers are never cached (no-store), so CORS headers go only where CORS applies: requests with an Origin.
// Hono's cors sets its header before the handler runs, which makes a response the handler's own then replaces
// (copying headers); a client backend calling /token sends no Origin and skips that work.
const apiCors = cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type'] });
const apiCorsForOrigins: MiddlewareHandler<AppEnv> = (c, next) => (c.req.header('Origin') === undefined ? next() : apiCors(c, next));
for (const path of ['/token', '/revoke', '/userinfo']) app.use(path, apiCorsForOrigins);
// After CORS, so a browser can read the error when its body is too large.
app.on(['POST', 'PUT', 'PATCH'], '*', bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => { throw new OAuthError('invalid_request', 'the request body is too large'); },
}));
for (const path of ['/login', '/consent', '/logout/confirm', '/device', '/device/*']) app.use(path, sameOriginForms);
for (const path of ['/authorize', '/login', '/consent', '/logout', '/logout/*', '/device', '/device/*']) app.use(path, noStore);

app.route('/.well-known', discoveryRoutes);
app.route('/authorize', authorizeRoutes);
app.route('/login', loginRoutes);
app.route('/consent', consentRoutes);
app.route('/token', tokenRoutes);
app.route('/userinfo', userinfoRoutes);
app.route('/revoke', revokeRoutes);
app.route('/introspect', introspectRoutes);
app.route('/logout', logoutRoutes);
app.route('/device_authorization', deviceAuthorizationRoutes);
app.route('/device', deviceRoutes);
app.route('/assets', assetRoutes);
app.route('/dev', devRoutes);
app.get('/', devHome);

app.notFound((c) => c.json({ error: 'not_found' }, 404));

function errorResponse(err: Error, c: Context<AppEnv>): Response | Promise<Response> {
  if (err instanceof OAuthError) return err.getResponse();
  if (err instanceof HTTPException) return err.getResponse();
  if (err instanceof StorageUnavailableError) {
    console.error(JSON.stringify({ msg: 'storage unavailable', requestId: c.get('requestId'), path: c.req.path, error: String(err.cause) }));
    if (BROWSER_PATHS.test(c.req.path) && c.get('services')) {
      c.header('Retry-After', '5');
      return renderError(c, 503, 'Temporarily unavailable', 'The sign-in service cannot reach its storage right now. Please try again in a moment.');
    }
    const unavailable = new OAuthError('temporarily_unavailable', 'storage is temporarily unavailable; retry shortly').getResponse();
    unavailable.headers.set('Retry-After', '5');
    return unavailable;
  }
  // Internals never reach the client: log with the request id, answer generically.
  console.error(JSON.stringify({ msg: 'unhandled error', requestId: c.get('requestId'), path: c.req.path, error: String(err), stack: err.stack }));
  if (BROWSER_PATHS.test(c.req.path) && c.get('services')) {
    return renderError(c, 500, 'Something went wrong', 'The sign-in service hit an unexpected error. Please try again in a moment.');
  }
  return new OAuthError('server_error', 'an unexpected error occurred').getResponse();
}

app.onError(async (err, c) => {
  const res = await errorResponse(err, c);
  // An error's response is built apart from the context's, so it lacks the X-Request-Id the requestId
  // middleware set: add it, since an error is when an operator needs to find the request in the logs.
  const requestId = c.get('requestId');
  if (requestId && !res.headers.has('X-Request-Id')) res.headers.set('X-Request-Id', requestId);
  return res;
});

/** Cron trigger (wrangler.toml [triggers]): prune expired rows and old audit events, and audit that. */
async function scheduled(_controller: ScheduledController, env: Bindings): Promise<void> {
  const { config } = await loadServices(env);
  const now = nowSeconds();
  const pruned = await pruneExpired(env.DB, now, config.auditRetentionDays);
  await insertAuditEvent(env.DB, {
    time: now, type: 'retention.prune', outcome: 'success', userId: null, clientId: null, ip: null, userAgent: null,
    requestId: null, detail: JSON.stringify(pruned),
  });
}

export { app };
export { AttemptCounter } from './store/throttle-counter.ts';

export default {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => app.fetch(request, guardBindings(env), ctx),
  scheduled,
};
