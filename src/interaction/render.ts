// The journey's answers to the browser: the error page, an error redirect to the client, the sign-in page.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { TextKey } from '../i18n/catalogue.ts';
import { texts } from '../middleware/language.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import type { OAuthError } from '../oauth/errors.ts';
import { errorRedirectUrl } from '../oauth/respond.ts';
import { replicaReader } from '../store/db.ts';
import { providerNames } from '../store/upstream-names.ts';
import type { Client } from '../store/clients.ts';
import { ErrorPage } from '../ui/error.ts';
import type { PageBase } from '../ui/layout.ts';
import { LoginPage } from '../ui/login.ts';
import { issueChallenge, relyingParty, transactionBinding } from './passkey/ceremony.ts';
import { sealTransaction } from './transaction.ts';

/** What a re-rendered sign-in page carries: the name typed, the refusal, 429 when throttled. */
export interface LoginPageOptions {
  username?: string;
  error?: string;
  status?: 200 | 429;
  /** A status line above the form (the password was just changed). */
  notice?: string;
  /** Show Turnstile's widget (past the per-address sign-in limit, when configured). */
  challenge?: boolean;
}

/** What every page gets: the branding, and the texts of the request's language (src/middleware/language.ts). */
export function pageBase(c: Context<AppEnv>): PageBase {
  return { branding: c.get('services').config.branding, t: texts(c) };
}

/** A catalogue key, resolved when the page renders, or a text already worded (a nested or filled-in one). */
export type TextRef = TextKey | { text: string };

/**
 * The error page, its title and message named by catalogue key, in the language known when it renders; a
 * protocol diagnostic for the application's developer (an untrusted redirect URI) comes as `{ text }`.
 */
export function renderError(c: Context<AppEnv>, status: 400 | 403 | 404 | 429 | 500 | 503, title: TextRef, message: TextRef) {
  c.status(status);
  const base = pageBase(c);
  const word = (ref: TextRef) => (typeof ref === 'string' ? base.t[ref] : ref.text);
  return c.html(ErrorPage({ ...base, title: word(title), message: word(message), requestId: c.get('requestId') }));
}

/** RFC 6749 §4.1.2.1 with RFC 9207's iss; 303 after a POST so the browser follows with a GET. */
export function redirectWithError(c: Context<AppEnv>, request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, error: OAuthError) {
  const status = c.req.method === 'GET' ? 302 : 303;
  return c.redirect(errorRedirectUrl(request.redirectUri, error, request.state, c.get('services').config.issuer), status);
}

/** The sign-in page around an already sealed transaction; `action` is where its form posts. */
export async function showLoginPage(
  c: Context<AppEnv>, clientName: string, transaction: string, opts: LoginPageOptions & { action?: string; hinted?: boolean; providers?: string[] } = {},
) {
  const { config } = c.get('services');
  // A passkey's challenge is bound to this transaction (src/interaction/methods/passkey.ts).
  const { challenge, sealed } = await issueChallenge(c, await transactionBinding(transaction));
  c.status(opts.status ?? 200);
  return c.html(
    LoginPage({
      ...pageBase(c),
      signupOpen: config.signup === 'open',
      hinted: opts.hinted ?? false,
      turnstileSiteKey: opts.challenge && config.turnstile ? config.turnstile.siteKey : null,
      clientName,
      transaction,
      username: opts.username ?? '',
      error: opts.error ?? null,
      action: opts.action,
      notice: opts.notice ?? null,
      passkey: { challenge, sealed, rpId: relyingParty(c).rpId },
      providers: opts.providers ?? [],
    }),
  );
}

export async function renderLogin(c: Context<AppEnv>, client: Client, request: AuthorizationRequest, opts: LoginPageOptions = {}) {
  const [transaction, providers] = await Promise.all([
    sealTransaction(c, { request, consentSession: null }),
    // One button per enabled upstream provider, from memory (read with the client): no round trip of its own.
    providerNames(replicaReader(c.env.DB), (work) => c.executionCtx.waitUntil(work)),
  ]);
  // "Not you?" while the page shows the account a hint named (OIDC Core §3.1.2.1 login_hint, id_token_hint).
  const hinted = request.idTokenHintSub !== null || (request.loginHint !== null && (opts.username ?? request.loginHint) === request.loginHint);
  return showLoginPage(c, client.name, transaction, { ...opts, hinted, providers, username: opts.username ?? request.loginHint ?? '' });
}
