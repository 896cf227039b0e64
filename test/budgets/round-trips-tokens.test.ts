// Storage round trips on the response path of the token and API endpoints, asserted against bench/lib/budgets.ts:
// a change that adds a D1 primary round trip, or a second one to /token, fails here, not only in the bench report.
import { describe, it } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { tokensFor } from '../helpers/flow.ts';
import { basic, createClient, createDeviceClient, createUser, signIn, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { decideDevice, startDevice } from '../helpers/device.ts';
import { expectWithin, formRequest, request, responsePathOps } from './probe.ts';

/** A form post authenticated as the client with client_secret_basic. */
const asClient = (client: TestClient, path: string, body: Record<string, string>) =>
  formRequest(path, body, { Authorization: basic(client.clientId, client.secret!) });

const OFFLINE = { scope: 'openid profile offline_access' };

async function refreshToken(client: TestClient, user: TestUser): Promise<string> {
  return (await tokensFor(client, user, OFFLINE)).tokens.refresh_token!;
}

describe('storage round trips on the response path: tokens and APIs (bench/lib/budgets.ts)', () => {
  it('POST /token with an authorization code', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const code = async () => (await signIn(client, user)).code;
    const ops = await responsePathOps(async () => asClient(client, '/token', { grant_type: 'authorization_code', code: await code(), redirect_uri: client.redirectUri }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.token);
  });

  it('POST /token with a refresh token', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const ops = await responsePathOps(async () => asClient(client, '/token', { grant_type: 'refresh_token', refresh_token: await refreshToken(client, user) }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.tokenRefresh);
  });

  it('POST /token with client credentials', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], audience: 'https://api.example.com', redirectUris: [] });
    const ops = await responsePathOps(async () => asClient(client, '/token', { grant_type: 'client_credentials' }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.tokenClientCredentials);
  });

  it('POST /token with an approved device code', async () => {
    const [client, user] = await Promise.all([createDeviceClient(), createUser()]);
    const ops = await responsePathOps(async () => asClient(client, '/token', { grant_type: DEVICE_CODE_GRANT, device_code: await approvedDeviceCode(client, user) }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.tokenDeviceCode);
  });

  it('POST /device_authorization', async () => {
    const client = await createDeviceClient();
    const ops = await responsePathOps(async () => asClient(client, '/device_authorization', { scope: 'openid' }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.deviceAuthorization);
  });

  it('POST /revoke with a refresh token', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const ops = await responsePathOps(async () => asClient(client, '/revoke', { token: await refreshToken(client, user) }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.revoke);
  });

  it('POST /revoke with an access token', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const access = async () => (await tokensFor(client, user)).tokens.access_token;
    const ops = await responsePathOps(async () => asClient(client, '/revoke', { token: await access() }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.revokeAccessToken);
  });

  it('POST /introspect with an access token', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user);
    const ops = await responsePathOps(async () => asClient(client, '/introspect', { token: tokens.access_token }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.introspect);
  });

  it('GET /userinfo', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user);
    const ops = await responsePathOps(async () => request('/userinfo', { headers: { Authorization: `Bearer ${tokens.access_token}` } }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.userinfo);
  });

  it('discovery and JWKS from memory', async () => {
    expectWithin(await responsePathOps(async () => request('/.well-known/openid-configuration'), 200), ROUND_TRIP_BUDGETS.discovery);
    expectWithin(await responsePathOps(async () => request('/.well-known/jwks.json'), 200), ROUND_TRIP_BUDGETS.jwks);
  });
});

/** A device code the user has allowed, not yet polled. */
async function approvedDeviceCode(client: TestClient, user: TestUser): Promise<string> {
  const started = await startDevice(client, 'openid profile');
  await decideDevice(started.user_code, user, 'allow');
  return started.device_code;
}
