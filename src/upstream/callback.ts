// The way back from an upstream provider: the browser's flow cookie, single-use state, the checked exchange, the account.
import type { Context } from 'hono';
import { ACCOUNT_PATH } from '../account/client.ts';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { put } from '../i18n/catalogue.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { authContextFor } from '../oauth/acr.ts';
import { loadPostedClient } from '../interaction/posted.ts';
import { continueJourney } from '../interaction/remaining.ts';
import { renderError, renderLogin } from '../interaction/render.ts';
import { readSession, startSession } from '../interaction/session.ts';
import { findProvider, type UpstreamProvider } from '../store/upstream-providers.ts';
import { claimOnce } from '../store/single-use.ts';
import { resolveAccount } from './accounts.ts';
import { completeUpstream, UpstreamDeniedError, UpstreamRejectedError } from './exchange.ts';
import { takeFlowCookie, UPSTREAM_FLOW_TTL_SECONDS, type UpstreamFlow } from './flow-cookie.ts';
import { UpstreamUnavailableError } from './http.ts';
import type { UpstreamIdentity } from './identity.ts';
import { openClientSecret, sealUpstreamTokens } from './secret.ts';
import { authorizationServer } from './server.ts';
import { displayName, upstreamRedirectUri, upstreamUnavailable } from './start.ts';


/** The session's amr: the upstream's own values (trusted providers only) and our marker naming the provider (tokens.ts). */
export function upstreamAmr(p: UpstreamProvider, who: UpstreamIdentity): string[] {
  return [...who.amr, `idp:${p.name}`];
}

/** Back to our sign-in page with a message of our own (the upstream's text is never shown), or to /account. */
async function refuse(c: Context<AppEnv>, flow: UpstreamFlow, message: string): Promise<Response> {
  if (!flow.tx) return renderError(c, 403, 'notLinked', { text: message });
  const posted = await loadPostedClient(c, flow.tx);
  return posted instanceof Response ? posted : renderLogin(c, posted.client, posted.request, { error: message });
}

async function identify(c: Context<AppEnv>, p: UpstreamProvider, flow: UpstreamFlow): Promise<UpstreamIdentity | Response> {
  const secret = await openClientSecret(c.get('services').dataKeys, p.name, p.clientSecret);
  if (secret === null) return renderError(c, 500, 'signInUnavailable', { text: put(texts(c).upstreamMisconfigured, { name: displayName(p.name) }) });
  try {
    return await completeUpstream(p, await authorizationServer(p), secret, new URL(c.req.url), upstreamRedirectUri(c, p.name), flow);
  } catch (error) {
    if (error instanceof UpstreamDeniedError) {
      recordAudit(c, { type: 'upstream.denied', outcome: 'failure', detail: `${p.name} ${error.code}` });
      return refuse(c, flow, put(texts(c).upstreamCancelled, { name: displayName(p.name) }));
    }
    if (error instanceof UpstreamRejectedError) {
      recordAudit(c, { type: 'upstream.rejected', outcome: 'failure', detail: `${p.name}: ${error.message.slice(0, 200)}` });
      return renderError(c, 400, 'signInFailed', { text: put(texts(c).upstreamRejected, { name: displayName(p.name) }) });
    }
    if (error instanceof UpstreamUnavailableError) return upstreamUnavailable(c, p);
    throw error;
  }
}

export async function upstreamCallback(c: Context<AppEnv>, name: string): Promise<Response> {
  const flow = await takeFlowCookie(c);
  const now = nowSeconds();
  if (!flow || flow.provider !== name || !(await claimOnce(c.env.SINGLE_USE, `upstream:${flow.state}`, 'state', now + UPSTREAM_FLOW_TTL_SECONDS, now))) {
    recordAudit(c, { type: 'upstream.state_mismatch', outcome: 'failure', detail: flow ? (flow.provider === name ? 'replayed' : 'other_provider') : 'no_flow' });
    return renderError(c, 400, 'signInExpired', 'upstreamExpired');
  }
  // Linking: the browser must still be signed in as the user who started it (the flow cookie alone is not enough).
  if (flow.linkUser && (await readSession(c))?.userId !== flow.linkUser) return renderError(c, 400, 'signInExpired', 'upstreamExpired');
  const p = await findProvider(c.env.DB, name);
  if (!p || !p.enabled) return renderError(c, 404, 'signInUnavailable', 'upstreamNoLonger');
  const who = await identify(c, p, flow);
  if (who instanceof Response) return who;
  const tokens = await sealUpstreamTokens(c.get('services').dataKeys, p.keepTokens, who.issuer, who.subject, who.tokens);
  const resolved = await resolveAccount(c, p, who, flow.linkUser, tokens);
  if (!resolved.ok) {
    recordAudit(c, { type: 'upstream.refused', outcome: 'failure', detail: `${p.name} ${resolved.reason}` });
    return refuse(c, flow, texts(c).upstreamRefusals[resolved.reason]);
  }
  const { user } = resolved;
  if (resolved.linked) recordAudit(c, { type: resolved.created ? 'upstream.signup' : 'upstream.linked', outcome: 'success', userId: user.id, detail: p.name });
  if (flow.linkUser || !flow.tx) return c.redirect(ACCOUNT_PATH, 303);
  const posted = await loadPostedClient(c, flow.tx);
  if (posted instanceof Response) return posted;
  recordAudit(c, { type: 'login.success', outcome: 'success', userId: user.id, clientId: posted.client.clientId, detail: `upstream ${p.name}` });
  // auth_time is our sign-in time; our own remaining steps (second factor, consent) still run after the upstream's.
  const session = await startSession(c, user.id, now, authContextFor(upstreamAmr(p, who)));
  return continueJourney(c, { client: posted.client, request: posted.request, session, user, consented: null, signedInNow: true });
}
