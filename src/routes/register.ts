// /register: dynamic client registration (RFC 7591 §3) and, at each client's URI, its management (RFC 7592 §2).
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { hashClientSecret } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { admitRegistration, authenticateRegistration } from '../guards/registration-auth.ts';
import { recordAudit } from '../middleware/audit.ts';
import { OAuthError } from '../oauth/errors.ts';
import {
  chooseAuthMethod, clientInformation, generateClientSecret, newRegisteredClient, REGISTRATION_TOKEN_BYTES,
} from '../oauth/registration/client-information.ts';
import { readMetadataBody } from '../oauth/registration/fields.ts';
import { readClientMetadata } from '../oauth/registration/metadata.ts';
import { checkUpdateRequest, replacementOf } from '../oauth/registration/update.ts';
import { deleteClient } from '../store/cascades.ts';
import { forgetClient } from '../store/clients.ts';
import { insertRegistration, replaceRegistration } from '../store/registrations.ts';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A fresh registration access token and the digest stored in its place. */
async function newAccessToken(): Promise<{ token: string; hash: string }> {
  const token = randomToken(REGISTRATION_TOKEN_BYTES);
  return { token, hash: await hashClientSecret(token) };
}

async function register(c: Context<AppEnv>) {
  const { confidentialAllowed } = await admitRegistration(c);
  const metadata = readClientMetadata(await readMetadataBody(c.req.raw));
  const method = chooseAuthMethod(metadata.tokenEndpointAuthMethod, confidentialAllowed);
  const secret = generateClientSecret(method);
  const access = await newAccessToken();
  const client = newRegisteredClient(metadata, method, secret === null ? null : await hashClientSecret(secret));
  const registration = await insertRegistration(c.env.DB, client, access.hash, metadata.extras);
  recordAudit(c, {
    type: 'client.registered', outcome: 'success', clientId: client.clientId,
    detail: JSON.stringify({ policy: c.get('services').config.registration.policy, token_endpoint_auth_method: method, redirect_uris: client.redirectUris }),
  });
  return c.json(clientInformation(c.get('services').config.issuer, registration, access.token, secret), 201, NO_STORE);
}

async function read(c: Context<AppEnv>) {
  const { registration, token } = await authenticateRegistration(c, c.req.param('client_id') ?? '');
  // The token presented is the current one: it is returned as RFC 7592 §3 requires, not rotated by a read.
  return c.json(clientInformation(c.get('services').config.issuer, registration, token, null), 200, NO_STORE);
}

async function update(c: Context<AppEnv>) {
  const clientId = c.req.param('client_id') ?? '';
  const { registration } = await authenticateRegistration(c, clientId);
  const body = await readMetadataBody(c.req.raw);
  await checkUpdateRequest(body, registration);
  const changes = replacementOf(readClientMetadata(body), registration);
  // The token rotates with every update (RFC 7592 §2.2 allows it): a leaked one stops working once the client updates.
  const access = await newAccessToken();
  const updated = await replaceRegistration(c.env.DB, clientId, registration.tokenHash, access.hash, changes);
  if (!updated) throw new OAuthError('invalid_token', 'the registration access token was rotated by another update');
  forgetClient(clientId);
  recordAudit(c, { type: 'client.registration.updated', outcome: 'success', clientId, detail: JSON.stringify({ redirect_uris: changes.redirectUris }) });
  return c.json(clientInformation(c.get('services').config.issuer, updated, access.token, null), 200, NO_STORE);
}

async function remove(c: Context<AppEnv>) {
  const clientId = c.req.param('client_id') ?? '';
  await authenticateRegistration(c, clientId);
  // Its refresh tokens (and their access tokens) are revoked and its consents forgotten in the same batch.
  await deleteClient(c.env.DB, clientId);
  forgetClient(clientId);
  recordAudit(c, { type: 'client.registration.deleted', outcome: 'success', clientId });
  return c.body(null, 204, NO_STORE);
}

export const registerRoutes = new Hono<AppEnv>()
  // CLIENT_REGISTRATION=closed: no endpoint, the same 404 as any unknown path (docs/decisions.md).
  .use('*', async (c, next) => (c.get('services').config.registration.policy === 'closed' ? c.notFound() : next()))
  .post('/', register)
  .get('/:client_id', read)
  .put('/:client_id', update)
  .delete('/:client_id', remove);
