// POST /consent: the user's decision on the consent page (OIDC Core §3.1.2.4).
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { readSession } from '../middleware/session.ts';
import { OAuthError } from '../oauth/errors.ts';
import { readForm } from '../oauth/params.ts';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.ts';
import { loadClient } from '../store/clients.ts';
import { recordConsent } from '../store/consents.ts';
import { nowSeconds } from '../clock.ts';
import { continueAuthorization, openTransaction, redirectWithError, renderError, renderLogin } from './interaction.ts';

export const consentRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  const tx = await openTransaction(c, form.get('tx') ?? undefined);
  if (!tx || tx.consentSession === null) return renderError(c, 400, 'Request expired', 'This consent form has expired or was altered.');
  const { request } = tx;
  const client = await loadClient(c.env.DB, request.clientId);
  if (!client || !isRegisteredRedirectUri(client.redirectUris, request.redirectUri)) {
    return renderError(c, 400, 'Invalid request', 'The application is no longer registered.');
  }
  const session = await readSession(c);
  // Consent is bound to the session it was asked in: a form replayed in another session signs in again.
  if (!session || session.idHash !== tx.consentSession) return renderLogin(c, client, request);
  if (form.get('decision') !== 'allow') {
    recordAudit(c, { type: 'consent.denied', outcome: 'failure', userId: session.userId, clientId: client.clientId });
    return redirectWithError(c, request, new OAuthError('access_denied', 'the user denied the request'));
  }
  recordAudit(c, { type: 'consent.granted', outcome: 'success', userId: session.userId, clientId: client.clientId, detail: request.scope.join(' ') });
  // Recorded on the primary, alongside issuing the code: the user's decision is worth one write.
  const [, response] = await Promise.all([
    recordConsent(c.env.DB, session.userId, client.clientId, request.scope, nowSeconds()),
    continueAuthorization(c, client, request, session, 'consent'),
  ]);
  return response;
});
