// Wiring only: global middleware, one route module per endpoint, the pages sub-app, one error handler.
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { MAX_BODY_BYTES } from './constants.ts';
import { scheduled } from './cron.ts';
import type { AppEnv, Bindings } from './env.ts';
import { apiErrors } from './errors.ts';
import { auditBatch } from './middleware/audit.ts';
import { apiCors, metadataPreflight, securityHeaders } from './middleware/headers.ts';
import { languageHeaders } from './middleware/language.ts';
import { services } from './middleware/services.ts';
import { OAuthError } from './oauth/errors.ts';
import { PAGE_SEGMENTS, pages } from './pages.ts';
import { assetRoutes } from './routes/assets.ts';
import { deviceAuthorizationRoutes } from './routes/device-authorization.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { introspectRoutes } from './routes/introspect.ts';
import { registerRoutes } from './routes/register.ts';
import { revokeRoutes } from './routes/revoke.ts';
import { tokenRoutes } from './routes/token.ts';
import { userinfoRoutes } from './routes/userinfo.ts';
import { guardBindings } from './store/guard.ts';

const app = new Hono<AppEnv>();

// Every request id is ours (limitLength 0: a caller's X-Request-Id is never adopted; docs/security.md).
app.use(requestId({ limitLength: 0 }));
app.use(services());
app.use(auditBatch());
app.use(languageHeaders());
app.use(securityHeaders(new RegExp(`^/($|(${[...PAGE_SEGMENTS, 'assets'].join('|')})(/|$))`)));
app.options('/.well-known/*', metadataPreflight());
for (const path of ['/token', '/revoke', '/userinfo', '/register']) app.use(path, apiCors());
// After CORS, so a browser can read the error when its body is too large.
app.on(['POST', 'PUT', 'PATCH'], '*', bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => { throw new OAuthError('invalid_request', 'the request body is too large'); },
}));

app.route('/.well-known', discoveryRoutes);
app.route('/', pages);
app.route('/token', tokenRoutes);
app.route('/userinfo', userinfoRoutes);
app.route('/revoke', revokeRoutes);
app.route('/introspect', introspectRoutes);
app.route('/device_authorization', deviceAuthorizationRoutes);
app.route('/register', registerRoutes);
app.route('/assets', assetRoutes);

app.notFound((c) => c.json({ error: 'not_found' }, 404));
app.onError(apiErrors);

export { app };
export { AttemptCounter } from './store/throttle-counter.ts';
export { SingleUseMarks } from './store/single-use.ts';

export default {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => app.fetch(request, guardBindings(env), ctx),
  scheduled,
};
