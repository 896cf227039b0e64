// The way out to an upstream provider: its metadata, a fresh state, nonce and PKCE pair in this browser's cookie, a redirect.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { upstreamThrottled } from '../guards/upstream-throttle.ts';
import { put } from '../i18n/catalogue.ts';
import { renderError } from '../interaction/render.ts';
import { texts } from '../middleware/language.ts';
import type { Transaction } from '../interaction/transaction.ts';
import { replicaReader } from '../store/db.ts';
import { findProvider, type UpstreamProvider } from '../store/upstream-providers.ts';
import { outboundRequest } from './exchange.ts';
import { setFlowCookie } from './flow-cookie.ts';
import { UpstreamUnavailableError } from './http.ts';
import { authorizationServer } from './server.ts';

export const UPSTREAM_RETRY_AFTER_SECONDS = 30;

/** Where the upstream sends the browser back: one redirect URI per provider, registered in its console. */
export function upstreamRedirectUri(c: Context<AppEnv>, provider: string): string {
  return `${c.get('services').config.issuer}/upstream/${encodeURIComponent(provider)}/callback`;
}

/** The friendly page for an upstream that is down, slow or answering nonsense: try again later (RFC 9110 §10.2.3). */
export function upstreamUnavailable(c: Context<AppEnv>, p: Pick<UpstreamProvider, 'name'>): Response | Promise<Response> {
  c.header('Retry-After', String(UPSTREAM_RETRY_AFTER_SECONDS));
  return renderError(c, 503, 'signInUnavailable', { text: put(texts(c).upstreamDown, { name: displayName(p.name) }) });
}

/** A provider's name as a button shows it: "google" -> "Google". */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** An enabled provider by name, from a replica (a just-added provider may take a moment to appear). */
export async function enabledProvider(c: Context<AppEnv>, name: string): Promise<UpstreamProvider | null> {
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) return null;
  const provider = await findProvider(replicaReader(c.env.DB), name);
  return provider?.enabled ? provider : null;
}

/** Redirects to the upstream; `tx` is our request to resume, `linkUser` the signed-in user linking from /account. */
export async function startUpstream(c: Context<AppEnv>, p: UpstreamProvider, tx: Transaction | null, linkUser: string | null): Promise<Response> {
  if (await upstreamThrottled(c, p.name)) {
    return renderError(c, 429, 'tooManyAttemptsTitle', 'tooManySignIns');
  }
  try {
    const server = await authorizationServer(p);
    const out = await outboundRequest(p, server, upstreamRedirectUri(c, p.name));
    const flow = { provider: p.name, state: out.state, nonce: out.nonce, verifier: out.verifier, tx, linkUser };
    if (!(await setFlowCookie(c, flow))) return renderError(c, 400, 'invalidRequest', 'upstreamTooLarge');
    return c.redirect(out.url.href, 303);
  } catch (error) {
    if (error instanceof UpstreamUnavailableError || (error instanceof Error && error.cause instanceof UpstreamUnavailableError)) return upstreamUnavailable(c, p);
    // Discovery answered, but not with usable metadata (wrong issuer, no endpoints): as down, for the user.
    console.error(JSON.stringify({ msg: 'upstream discovery failed', provider: p.name, error: String(error) }));
    return upstreamUnavailable(c, p);
  }
}
