// POST /login: the sign-in form's submission. Generic failures, no enumeration, 303 back to the client.
import { Hono } from 'hono';
import { PASSWORD_MAX_CHARS } from '../constants.ts';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../crypto/password.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { startSession } from '../middleware/session.ts';
import { readForm } from '../oauth/params.ts';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.ts';
import { loadClient } from '../store/clients.ts';
import { nowSeconds, replicaReader } from '../store/db.ts';
import { findUserByUsername, updatePasswordHash } from '../store/users.ts';
import { continueAuthorization, openTransaction, renderError, renderLogin } from './interaction.tsx';

const INVALID_CREDENTIALS = 'Invalid username or password.';

export const loginRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { peppers } = c.get('services');
  const form = await readForm(c.req.raw);
  const tx = await openTransaction(c, form.get('tx') ?? undefined);
  if (!tx) return renderError(c, 400, 'Sign-in expired', 'This sign-in form has expired or was altered.');
  const { request } = tx;
  const client = await loadClient(c.env.DB, request.clientId);
  if (!client || !isRegisteredRedirectUri(client.redirectUris, request.redirectUri)) {
    return renderError(c, 400, 'Invalid request', 'The application is no longer registered.');
  }

  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!username || !password || username.length > 256 || password.length > PASSWORD_MAX_CHARS) {
    return renderLogin(c, client, request, { username: username.slice(0, 256), error: INVALID_CREDENTIALS, status: 401 });
  }

  const user = await findUserByUsername(replicaReader(c.env.DB), username);
  // Unknown users cost one PBKDF2 too, so timing does not reveal which usernames exist.
  const check = user ? await verifyPassword(password, user.passwordHash, peppers) : await verifyDummyPassword(password, peppers);
  if (!user || !check.ok) {
    recordAudit(c, { type: 'login.failure', outcome: 'failure', userId: user?.id ?? null, clientId: client.clientId, detail: user ? 'bad_password' : 'unknown_user' });
    return renderLogin(c, client, request, { username, error: INVALID_CREDENTIALS, status: 401 });
  }
  if (user.disabled) {
    recordAudit(c, { type: 'login.failure', outcome: 'failure', userId: user.id, clientId: client.clientId, detail: 'disabled' });
    return renderLogin(c, client, request, { username, error: 'This account is disabled.', status: 401 });
  }
  if (check.needsRehash) {
    c.executionCtx.waitUntil(hashPassword(password, peppers).then((hash) => updatePasswordHash(c.env.DB, user.id, hash)).catch(() => undefined));
  }
  recordAudit(c, { type: 'login.success', outcome: 'success', userId: user.id, clientId: client.clientId });
  const session = await startSession(c, user.id, nowSeconds());
  return continueAuthorization(c, client, request, session, 'login');
});
