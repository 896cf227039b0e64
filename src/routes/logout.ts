// OIDC RP-Initiated Logout 1.0: end the session, then go back only to a registered post-logout URI.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { MAX_REDIRECT_URI_CHARS, MAX_STATE_CHARS } from '../constants.ts';
import { openPageEnvelope, sealPageEnvelope } from '../interaction/transaction.ts';
import type { AppEnv } from '../env.ts';
import type { Locale } from '../i18n/catalogue.ts';
import { matchUiLocales } from '../i18n/negotiate.ts';
import { useLocale } from '../middleware/language.ts';
import { isSameOriginPost } from '../middleware/browser.ts';
import { readSession, stopSession, type BrowserSession } from '../interaction/session.ts';
import { pageBase, renderError } from '../interaction/render.ts';
import { pageClientLoader } from '../clients/resolve.ts';
import { readIdTokenHint } from '../oauth/id-token-hint.ts';
import { RequestParams, readForm } from '../oauth/params.ts';
import { buildRedirectUrl } from '../oauth/respond.ts';
import { nowSeconds } from '../clock.ts';
import { revokeSessionRefreshTokens } from '../store/refresh-tokens.ts';
import { LogoutConfirmPage, SignedOutPage } from '../ui/logout.ts';

const LOGOUT_TYP = 'logout+jwt';

interface LogoutTarget {
  redirectUri: string | null;
  state: string | null;
  clientName: string | null;
  /** The language ui_locales chose (§2), kept for the confirmation's answer. */
  uiLocale?: Locale | null;
}

class LogoutRequestError extends Error {}

/** Validates the request; any problem is an error page, never a redirect (no open redirector). */
async function readLogoutRequest(c: Context<AppEnv>, params: RequestParams): Promise<{ target: LogoutTarget; hintSub: string | null }> {
  const { keys, config } = c.get('services');
  const read = (name: string, max = 2048) => {
    try {
      return params.get(name, max);
    } catch {
      throw new LogoutRequestError(`The ${name} parameter is repeated or too long.`);
    }
  };
  // RP-Initiated Logout §2 ui_locales: first, so that this request's error pages speak it too.
  const uiLocale = matchUiLocales(read('ui_locales'));
  useLocale(c, uiLocale);
  const hintToken = read('id_token_hint', 8192);
  const hint = hintToken === undefined ? null : await readIdTokenHint(keys, config.issuer, hintToken, pageClientLoader(c));
  if (hintToken !== undefined && !hint) throw new LogoutRequestError('The id_token_hint is not an id_token this provider issued to a registered client.');
  const clientId = read('client_id', 256) ?? null;
  if (clientId && hint && clientId !== hint.client.clientId) throw new LogoutRequestError('client_id does not match the id_token_hint.');
  const redirectUri = read('post_logout_redirect_uri', MAX_REDIRECT_URI_CHARS) ?? null;
  const state = read('state', MAX_STATE_CHARS) ?? null;
  read('logout_hint', 256);
  const client = hint?.client ?? (clientId ? await pageClientLoader(c)(clientId) : null);
  if (clientId && !client) throw new LogoutRequestError('The client_id is not registered.');
  if (redirectUri !== null) {
    if (!client) throw new LogoutRequestError('post_logout_redirect_uri needs client_id or id_token_hint.');
    if (!client.postLogoutRedirectUris.includes(redirectUri)) throw new LogoutRequestError('The post_logout_redirect_uri is not registered for this client.');
  }
  return { target: { redirectUri, state, clientName: client?.name ?? null, uiLocale }, hintSub: hint?.sub ?? null };
}

async function finish(c: Context<AppEnv>, session: BrowserSession | null, target: LogoutTarget, signedOut: boolean) {
  if (signedOut) {
    await stopSession(c, session);
    if (session && c.get('services').config.logoutRevokesRefreshTokens) {
      await revokeSessionRefreshTokens(c.env.DB, session.idHash, nowSeconds());
    }
  }
  if (target.redirectUri) return c.redirect(buildRedirectUrl(target.redirectUri, { state: target.state }), c.req.method === 'GET' ? 302 : 303);
  return c.html(SignedOutPage({ ...pageBase(c), signedOut }));
}

async function endSession(c: Context<AppEnv>) {
  const params = c.req.method === 'GET' ? new RequestParams(new URL(c.req.url).searchParams) : await RequestParams.fromForm(c.req.raw).catch(() => null);
  if (!params) return renderError(c, 400, 'invalidRequest', 'logoutNotPost');
  let request;
  try {
    request = await readLogoutRequest(c, params);
  } catch (err) {
    if (err instanceof LogoutRequestError) return renderError(c, 400, 'invalidLogout', { text: err.message });
    throw err;
  }
  const session = await readSession(c);
  // Without a session there is nothing to end, and a cross-site POST arrives without the SameSite=Lax cookie:
  // deleting it then would let any site sign users out. Tied to the session by our own form (same origin) or by
  // an id_token for its user: sign out at once. Otherwise ask (§2, confirmation).
  if (!session) return finish(c, null, request.target, true);
  if (isSameOriginPost(c) || request.hintSub === session.userId) return finish(c, session, request.target, true);
  return askToConfirm(c, request.target, session);
}

/** The confirmation page, bound to the session it asks about (§2). */
async function askToConfirm(c: Context<AppEnv>, target: LogoutTarget, session: BrowserSession) {
  const transaction = await sealPageEnvelope(c, LOGOUT_TYP, { target, session: session.idHash });
  return c.html(LogoutConfirmPage({ ...pageBase(c), clientName: target.clientName, transaction }));
}

export const logoutRoutes = new Hono<AppEnv>()
  .get('/', endSession)
  .post('/', endSession)
  .post('/confirm', async (c) => {
    const form = await readForm(c.req.raw);
    const claims = await openPageEnvelope(c, LOGOUT_TYP, form.get('tx'));
    if (!claims) return renderError(c, 400, 'requestExpired', 'signOutFormExpired');
    const target = claims.target as LogoutTarget;
    useLocale(c, target.uiLocale);
    const session = await readSession(c);
    const sameSession = session !== null && session.idHash === claims.session;
    // Signed in again since the page was shown: ask about this session rather than say "signed out" and keep it.
    if (session && !sameSession && form.get('decision') === 'logout') return askToConfirm(c, target, session);
    return finish(c, sameSession ? session : null, target, form.get('decision') === 'logout');
  });
