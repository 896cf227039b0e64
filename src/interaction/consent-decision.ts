// The consent page's answer (OIDC Core §3.1.2.4): deny redirects with access_denied, allow records it and resumes.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { OAuthError } from '../oauth/errors.ts';
import { recordConsent } from '../store/consents.ts';
import type { PostedTransaction } from './posted.ts';
import { continueJourney } from './remaining.ts';
import { redirectWithError, renderLogin } from './render.ts';
import { readSession } from './session.ts';
import { askConsent } from './steps/consent.ts';

export async function decideConsent(c: Context<AppEnv>, { client, request, consentSession }: PostedTransaction, allowed: boolean): Promise<Response> {
  const session = await readSession(c);
  // Consent is bound to the session it was asked in: a form replayed in another session signs in again.
  if (!session || session.idHash !== consentSession) return renderLogin(c, client, request);
  if (!allowed) {
    recordAudit(c, { type: 'consent.denied', outcome: 'failure', userId: session.userId, clientId: client.clientId });
    return redirectWithError(c, request, new OAuthError('access_denied', 'the user denied the request'));
  }
  recordAudit(c, { type: 'consent.granted', outcome: 'success', userId: session.userId, clientId: client.clientId, detail: request.scope.join(' ') });
  // Recorded on the primary, alongside issuing the code: the user's decision is worth one write. The steps
  // before consent ran for this same session when the page was shown, so the journey resumes after it.
  const [, response] = await Promise.all([
    recordConsent(c.env.DB, session.userId, client.clientId, request.scope, nowSeconds()),
    continueJourney(c, { client, request, session, signedInNow: true, consented: null }, askConsent),
  ]);
  return response;
}
