// The upstream round trip's state, bound to this browser: a short-lived signed cookie holding state, nonce, PKCE
// verifier and our own sign-in transaction (RFC 9700 §4.7: state bound to the user agent; §2.1.1 PKCE).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import type { Transaction } from '../interaction/transaction.ts';

const TYP = 'upstream-flow+jwt';
const COOKIE_NAME = 'edge_oidc_upstream';
/** Long enough to sign in at the upstream (a password, a second factor), short enough to bound a replay. */
export const UPSTREAM_FLOW_TTL_SECONDS = 600;
const MAX_COOKIE_CHARS = 4000;

export interface UpstreamFlow {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
  /** Our authorization request to resume; null when linking from /account. */
  tx: Transaction | null;
  /** Linking from /account: the signed-in user the upstream account is to be linked to. */
  linkUser: string | null;
}

function options(c: Context<AppEnv>) {
  const secure = c.get('services').config.secureCookies;
  // Lax: the upstream's redirect back is a top-level GET, which Lax cookies accompany.
  return { secure, httpOnly: true, sameSite: 'Lax' as const, path: '/', ...(secure ? { prefix: 'host' as const } : {}) };
}

/** False when the sealed flow would not fit in a cookie (an authorization request near its parameters' limits). */
export async function setFlowCookie(c: Context<AppEnv>, flow: UpstreamFlow): Promise<boolean> {
  const sealed = await sealEnvelope(c.get('services').envelopeKeys, TYP, { flow }, UPSTREAM_FLOW_TTL_SECONDS);
  if (sealed.length > MAX_COOKIE_CHARS) return false;
  setCookie(c, COOKIE_NAME, sealed, { ...options(c), maxAge: UPSTREAM_FLOW_TTL_SECONDS });
  return true;
}

/** Reads and clears the cookie: one callback per flow. Null when absent, expired or altered. */
export async function takeFlowCookie(c: Context<AppEnv>): Promise<UpstreamFlow | null> {
  const secure = c.get('services').config.secureCookies;
  const value = secure ? getCookie(c, COOKIE_NAME, 'host') : getCookie(c, COOKIE_NAME);
  if (!value) return null;
  deleteCookie(c, COOKIE_NAME, options(c));
  if (value.length > MAX_COOKIE_CHARS) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, TYP, value);
  const flow = claims?.flow as UpstreamFlow | undefined;
  const ok = flow && typeof flow.provider === 'string' && typeof flow.state === 'string' && typeof flow.nonce === 'string' && typeof flow.verifier === 'string';
  return ok ? flow : null;
}
