// POST /login: the sign-in form's submission. Generic failures, no enumeration, 303 back to the client.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { usesRecordedConsent } from '../oauth/consent.ts';
import { readForm } from '../oauth/params.ts';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.ts';
import { loadClient } from '../store/clients.ts';
import { type ConsentByUsername, findConsentByUsername } from '../store/consents.ts';
import { replicaReader } from '../store/db.ts';
import { signInWithPassword } from './credentials.ts';
import { continueAuthorization, openTransaction, renderError, renderLogin } from './interaction.ts';

/** The recorded consent of the user the form names, read from a replica alongside the sign-in's own lookup. */
function findRecordedConsent(c: Context<AppEnv>, form: URLSearchParams, clientId: string): Promise<ConsentByUsername | null> {
  const username = (form.get('username') ?? '').trim();
  if (!username || username.length > 256) return Promise.resolve(null);
  return findConsentByUsername(replicaReader(c.env.DB), username, clientId);
}

export const loginRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  const tx = await openTransaction(c, form.get('tx') ?? undefined);
  if (!tx) return renderError(c, 400, 'Sign-in expired', 'This sign-in form has expired or was altered.');
  const { request } = tx;
  const client = await loadClient(c.env.DB, request.clientId);
  if (!client || !isRegisteredRedirectUri(client.redirectUris, request.redirectUri)) {
    return renderError(c, 400, 'Invalid request', 'The application is no longer registered.');
  }
  const [result, recorded] = await Promise.all([
    signInWithPassword(c, form, client.clientId, request.idTokenHintSub),
    usesRecordedConsent(client, request) ? findRecordedConsent(c, form, client.clientId) : null,
  ]);
  if (!result.ok) return renderLogin(c, client, request, { username: result.username, error: result.error, status: result.status });
  // Read by the username typed, so it counts only if it is the record of the user who signed in.
  const consented = recorded?.userId === result.session.userId ? recorded.scopes : null;
  return continueAuthorization(c, client, request, result.session, 'login', consented);
});
