// The gateway example: a Worker that signs users in with edge-oidc and guards /api/* with its access tokens.
import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { type ApiVariables, requireAccessToken, requireScope } from './api-auth.ts';
import { type Bindings, ConfigError, type GatewayConfig, readConfig } from './config.ts';
import { clearCookie, LOGOUT_COOKIE, readCookie, SESSION_COOKIE, SIGN_IN_COOKIE, writeCookie } from './cookies.ts';
import {
  AuthorizationResponseError, endSessionUrl, finishSignIn, providerConfiguration, ResponseBodyError, type SignedIn,
  type SignInTransaction, startSignIn,
} from './oidc.ts';
import { ErrorPage, SignedInPage, SignedOutPage, STYLESHEET } from './pages.tsx';

type GatewayEnv = {
  Bindings: Bindings;
  Variables: ApiVariables;
};

const SIGN_IN_TTL_SECONDS = 600;
const API_PATH = '/api/me';

let config: GatewayConfig | undefined;

async function readSession(c: Context<GatewayEnv>): Promise<SignedIn | null> {
  const payload = await readCookie(c, c.get('config'), SESSION_COOKIE);
  const session = payload?.session as SignedIn | undefined;
  return session && session.expiresAt > Date.now() / 1000 ? session : null;
}

const app = new Hono<GatewayEnv>();

app.use(async (c, next) => {
  config ??= readConfig(c.env);
  c.set('config', config);
  await next();
});
app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      // The sign-out form redirects to the provider's end_session_endpoint.
      formAction: ["'self'", (c) => new URL((c as Context<GatewayEnv>).get('config').issuer).origin],
    },
    referrerPolicy: 'no-referrer',
  }),
);

app.get('/style.css', (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

app.get('/', async (c) => {
  c.header('Cache-Control', 'no-store');
  const cfg = c.get('config');
  const session = await readSession(c);
  if (!session) {
    // Back from the provider's logout: the state we sent must come back unchanged.
    const state = c.req.query('state');
    const pending = state ? await readCookie(c, cfg, LOGOUT_COOKIE) : null;
    if (pending) clearCookie(c, cfg, LOGOUT_COOKIE);
    const notice = pending && pending.state === state ? 'You are signed out of the gateway and of edge-oidc.' : null;
    return c.html(<SignedOutPage notice={notice} />);
  }
  // Call our own protected API the way any client would: the access token as a Bearer token.
  const res = await app.request(API_PATH, { headers: { Authorization: `Bearer ${session.accessToken}` } }, c.env, c.executionCtx);
  const body = JSON.stringify(await res.json(), null, 2);
  return c.html(
    <SignedInPage
      displayName={session.name ?? session.username ?? session.sub} username={session.username} sub={session.sub}
      expiresAt={session.expiresAt} api={{ path: API_PATH, status: res.status, body }}
    />,
  );
});

app.get('/login', async (c) => {
  const cfg = c.get('config');
  const prompt = c.req.query('prompt') === 'login' ? 'login' : undefined;
  const { url, transaction } = await startSignIn(await providerConfiguration(cfg), cfg, prompt);
  await writeCookie(c, cfg, SIGN_IN_COOKIE, { ...transaction }, SIGN_IN_TTL_SECONDS);
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.href, 302);
});

app.get('/callback', async (c) => {
  const cfg = c.get('config');
  c.header('Cache-Control', 'no-store');
  const saved = await readCookie(c, cfg, SIGN_IN_COOKIE);
  clearCookie(c, cfg, SIGN_IN_COOKIE);
  if (!saved) return c.html(<ErrorPage title="Sign-in expired" message="This sign-in was started too long ago or in another browser. Please sign in again." />, 400);
  const transaction: SignInTransaction = { codeVerifier: String(saved.codeVerifier), state: String(saved.state), nonce: String(saved.nonce) };
  // Rebuilt on our registered origin, so the redirect_uri sent to /token is exactly the registered one.
  const here = new URL(c.req.url);
  let session: SignedIn;
  try {
    session = await finishSignIn(await providerConfiguration(cfg), new URL(here.pathname + here.search, cfg.origin), transaction);
  } catch (err) {
    if (err instanceof AuthorizationResponseError) {
      return c.html(<ErrorPage title="Sign-in was not completed" message={`The identity provider answered ${err.error}${err.error_description ? `: ${err.error_description}` : ''}.`} />, 400);
    }
    if (err instanceof ResponseBodyError) {
      console.error(JSON.stringify({ msg: 'token endpoint refused the code', error: err.error, status: err.status }));
      return c.html(<ErrorPage title="Sign-in failed" message="The identity provider refused to complete the sign-in. Please try again." />, 502);
    }
    console.error(JSON.stringify({ msg: 'sign-in response rejected', error: String(err) }));
    return c.html(<ErrorPage title="Sign-in failed" message="The sign-in response could not be verified. Please try again." />, 400);
  }
  await writeCookie(c, cfg, SESSION_COOKIE, { session }, session.expiresAt - Math.floor(Date.now() / 1000));
  return c.redirect('/', 303);
});

// A same-origin form post, so another site cannot sign the user out.
app.post('/logout', csrf(), async (c) => {
  const cfg = c.get('config');
  const session = await readSession(c);
  clearCookie(c, cfg, SESSION_COOKIE);
  if (!session) return c.redirect('/', 303);
  const state = crypto.randomUUID();
  await writeCookie(c, cfg, LOGOUT_COOKIE, { state }, SIGN_IN_TTL_SECONDS);
  return c.redirect(endSessionUrl(await providerConfiguration(cfg), cfg, session.idToken, state).href, 303);
});

const jwksUri = (c: Context<GatewayEnv>) => async () => (await providerConfiguration(c.get('config'))).serverMetadata().jwks_uri!;

app.use('/api/*', async (c, next) => {
  c.set('sessionAccessToken', (await readSession(c))?.accessToken ?? null);
  c.header('Cache-Control', 'no-store');
  return requireAccessToken<GatewayEnv>(jwksUri(c))(c, next);
});

app.get(API_PATH, requireScope<GatewayEnv>('profile'), (c) => {
  const { claims, scopes, source } = c.get('accessToken');
  return c.json({
    message: 'Hello from a protected endpoint: your access token was verified offline against the provider\'s JWKS.',
    sub: claims.sub,
    client_id: claims.client_id,
    scope: scopes.join(' '),
    token_source: source,
    expires_at: claims.exp,
    expires_at_iso: new Date(claims.exp! * 1000).toISOString(),
  });
});

app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: 'not_found' }, 404) : c.html(<ErrorPage title="Not found" message="There is no page here." />, 404)));

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  const configProblem = err instanceof ConfigError;
  console.error(JSON.stringify({ msg: configProblem ? 'gateway misconfigured' : 'unhandled error', path: c.req.path, error: String(err) }));
  const message = configProblem ? `The gateway is not configured: ${err.message}.` : 'The gateway hit an unexpected error (is the identity provider reachable?).';
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'server_error' }, 500);
  return c.html(<ErrorPage title="Something went wrong" message={message} />, 500);
});

export default app;
