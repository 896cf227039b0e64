// POST /login: the sign-in form's submission. Generic failures, no enumeration, 303 back to the client.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { readForm } from '../oauth/params.ts';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.ts';
import { loadClient } from '../store/clients.ts';
import { signInWithPassword } from './credentials.ts';
import { continueAuthorization, openTransaction, renderError, renderLogin } from './interaction.ts';

export const loginRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  const tx = await openTransaction(c, form.get('tx') ?? undefined);
  if (!tx) return renderError(c, 400, 'Sign-in expired', 'This sign-in form has expired or was altered.');
  const { request } = tx;
  const client = await loadClient(c.env.DB, request.clientId);
  if (!client || !isRegisteredRedirectUri(client.redirectUris, request.redirectUri)) {
    return renderError(c, 400, 'Invalid request', 'The application is no longer registered.');
  }
  const result = await signInWithPassword(c, form, client.clientId, request.idTokenHintSub);
  if (!result.ok) return renderLogin(c, client, request, { username: result.username, error: result.error, status: result.status });
  return continueAuthorization(c, client, request, result.session, 'login');
});
