// The browser side of authorization shared by /authorize, /login and /consent: decide, show a page, or issue a code.
import type { Context } from 'hono';
import { AUTHORIZATION_CODE_BYTES, CODE_TTL_SECONDS, LOGIN_TRANSACTION_TTL_SECONDS } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { type BrowserSession, isSessionLive, openSessionCookie } from '../middleware/session.ts';
import { checkAcr } from '../oauth/acr.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import { mustAskConsent, usesRecordedConsent } from '../oauth/consent.ts';
import { OAuthError } from '../oauth/errors.ts';
import { buildRedirectUrl, errorRedirectUrl } from '../oauth/respond.ts';
import type { Client } from '../store/clients.ts';
import { saveCode } from '../store/codes.ts';
import { findConsentedScopes } from '../store/consents.ts';
import { nowSeconds } from '../clock.ts';
import { replicaReader } from '../store/db.ts';
import { findUserById } from '../store/users.ts';
import { ConsentPage } from '../ui/consent.ts';
import { ErrorPage } from '../ui/error.ts';
import { LoginPage } from '../ui/login.ts';

const TRANSACTION_TYP = 'authz-request+jwt';

/** What the signed transaction carries between our pages; the browser cannot alter it. */
export interface Transaction {
  request: AuthorizationRequest;
  /** Set on the consent page: the session that consent is asked for. */
  consentSession: string | null;
}

export function sealTransaction(c: Context<AppEnv>, tx: Transaction): Promise<string> {
  return sealEnvelope(c.get('services').envelopeKeys, TRANSACTION_TYP, { tx }, LOGIN_TRANSACTION_TTL_SECONDS);
}

export async function openTransaction(c: Context<AppEnv>, token: string | undefined): Promise<Transaction | null> {
  if (!token || token.length > 16_384) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, TRANSACTION_TYP, token);
  return (claims?.tx as Transaction | undefined) ?? null;
}

export function renderError(c: Context<AppEnv>, status: 400 | 403 | 404 | 500 | 503, title: string, message: string) {
  c.status(status);
  return c.html(ErrorPage({ branding: c.get('services').config.branding, title, message, requestId: c.get('requestId') }));
}

export function redirectWithError(c: Context<AppEnv>, request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, error: OAuthError) {
  const status = c.req.method === 'GET' ? 302 : 303;
  return c.redirect(errorRedirectUrl(request.redirectUri, error, request.state, c.get('services').config.issuer), status);
}

export async function renderLogin(c: Context<AppEnv>, client: Client, request: AuthorizationRequest, opts: { username?: string; error?: string; status?: 200 | 429 } = {}) {
  const transaction = await sealTransaction(c, { request, consentSession: null });
  c.status(opts.status ?? 200);
  return c.html(
    LoginPage({
      branding: c.get('services').config.branding,
      clientName: client.name,
      transaction,
      username: opts.username ?? request.loginHint ?? '',
      error: opts.error ?? null,
    }),
  );
}

async function issueCode(c: Context<AppEnv>, request: AuthorizationRequest, session: BrowserSession): Promise<string> {
  const code = randomToken(AUTHORIZATION_CODE_BYTES);
  const now = nowSeconds();
  await saveCode(c.env.CODES, await digestToken(code), {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope.join(' '),
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    userId: session.userId,
    authTime: session.authTime,
    sessionIdHash: session.idHash,
    idTokenClaims: request.idTokenClaims,
    amr: session.amr,
    acr: request.acr ? session.acr : null,
    expiresAt: now + CODE_TTL_SECONDS,
  });
  recordAudit(c, { type: 'code.issued', outcome: 'success', userId: session.userId, clientId: request.clientId });
  return code;
}

export interface SessionAndConsent {
  session: BrowserSession | null;
  /** The scopes the session's user has allowed the client; null when not recorded or not needed. */
  consented: string[] | null;
}

/** The browser's session and, when the policy needs it, its user's recorded consent: replica reads in parallel. */
export async function readSessionAndConsent(c: Context<AppEnv>, client: Client, request: AuthorizationRequest): Promise<SessionAndConsent> {
  const claimed = await openSessionCookie(c);
  if (!claimed) return { session: null, consented: null };
  const [live, consented] = await Promise.all([
    isSessionLive(c, claimed),
    usesRecordedConsent(client, request) ? findConsentedScopes(replicaReader(c.env.DB), claimed.userId, client.clientId) : null,
  ]);
  return live ? { session: claimed, consented } : { session: null, consented: null };
}

/**
 * OIDC Core §3.1.2.1-§3.1.2.5 once the request is valid: sign in when needed (or fail for prompt=none),
 * ask consent when the policy says so (src/oauth/consent.ts), then redirect back with a code.
 * `consented` is the signed-in user's recorded consent for the client, when it was read.
 */
export async function continueAuthorization(
  c: Context<AppEnv>,
  client: Client,
  request: AuthorizationRequest,
  session: BrowserSession | null,
  stage: 'authorize' | 'login' | 'consent',
  consented: readonly string[] | null = null,
): Promise<Response> {
  const now = nowSeconds();
  const fresh = stage !== 'authorize';
  const loginNeeded =
    !session ||
    (!fresh && (request.prompt.includes('login') || request.prompt.includes('select_account'))) ||
    // OIDC Core §3.1.2.1, when the request arrives (a later stage follows a login or this check; checking
    // again would loop when consent takes longer than max_age). auth_time has whole seconds, so an age
    // equal to max_age may be just over it, and max_age=0 always signs in again.
    (!fresh && request.maxAge !== null && now - session.authTime >= request.maxAge) ||
    (!fresh && request.idTokenHintSub !== null && request.idTokenHintSub !== session.userId);
  if (loginNeeded) {
    if (request.prompt.includes('none')) return redirectWithError(c, request, new OAuthError('login_required', 'the user is not signed in'));
    return renderLogin(c, client, request);
  }
  // Transactions sealed before acr was parsed have no acr member.
  const acr = checkAcr(request.acr ?? null, session.acr, fresh, request.prompt.includes('none'));
  if (acr instanceof OAuthError) return redirectWithError(c, request, acr);
  if (acr === 'sign-in') return renderLogin(c, client, request);
  if (stage !== 'consent' && mustAskConsent(client, request, consented)) {
    // OIDC Core §3.1.2.6: prompt=none cannot show the consent page.
    if (request.prompt.includes('none')) return redirectWithError(c, request, new OAuthError('consent_required', 'the user has not allowed this client'));
    const user = await findUserById(replicaReader(c.env.DB), session.userId);
    // The request goes back unchanged: dropping prompt=consent would let the next sign-in skip consent.
    if (!user || user.disabled) return renderLogin(c, client, request);
    const transaction = await sealTransaction(c, { request, consentSession: session.idHash });
    return c.html(
      ConsentPage({ branding: c.get('services').config.branding, clientName: client.name, username: user.username, scopes: request.scope, transaction }),
    );
  }
  const code = await issueCode(c, request, session);
  const url = buildRedirectUrl(request.redirectUri, { code, state: request.state, iss: c.get('services').config.issuer });
  return c.redirect(url, c.req.method === 'GET' ? 302 : 303);
}
