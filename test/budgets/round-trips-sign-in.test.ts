// Storage round trips on the response path of the browser pages (sign-in, consent, logout, device), asserted
// against bench/lib/budgets.ts: a change that adds a D1 primary round trip to sign-in fails here.
import { describe, it } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { loginTx, tokensFor, waitForSessionRow } from '../helpers/flow.ts';
import { addPasskey, SoftAuthenticator, webauthnBlock } from '../helpers/webauthn.ts';
import { authorizeUrl, call, createClient, createDeviceClient, createUser, hiddenTx, sessionCookie, signIn, submitLogin } from '../helpers/fixtures.ts';
import { deviceApproval, deviceLoginTx, startDevice } from '../helpers/device.ts';
import { expectWithin, formRequest, request, responsePathOps } from './probe.ts';

const POST_LOGOUT = 'https://app.example.com/signed-out';

describe('storage round trips on the response path: browser pages (bench/lib/budgets.ts)', () => {
  it('GET /authorize to the login form', async () => {
    const client = await createClient();
    const ops = await responsePathOps(async () => request(authorizeUrl(client)), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorize);
  });

  it('POST /login with the right password', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const login = async () => ({ tx: await loginTx(client), username: user.username, password: user.password });
    const ops = await responsePathOps(async () => formRequest('/login', await login(), { 'CF-Connecting-IP': '192.0.2.10' }), 303);
    expectWithin(ops, ROUND_TRIP_BUDGETS.login);
  });

  it('POST /login with a passkey (method=passkey)', async () => {
    const [client, user, authenticator] = await Promise.all([createClient(), createUser(), SoftAuthenticator.create()]);
    await addPasskey(user.id, authenticator);
    const login = async () => {
      const block = webauthnBlock(await (await call(authorizeUrl(client))).text());
      return { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential: await authenticator.assert(block.challenge) };
    };
    const ops = await responsePathOps(async () => formRequest('/login', await login()), 303);
    expectWithin(ops, ROUND_TRIP_BUDGETS.passkeyLogin);
  });

  it('POST /login for a third-party client, to the consent page', async () => {
    const [client, user] = await Promise.all([createClient({ firstParty: false }), createUser()]);
    const login = async () => ({ tx: await loginTx(client), username: user.username, password: user.password });
    const ops = await responsePathOps(async () => formRequest('/login', await login(), { 'CF-Connecting-IP': '192.0.2.11' }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.loginToConsent);
  });

  it('GET /authorize with an SSO session, straight to a code', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { cookie } = await signIn(client, user);
    await waitForSessionRow(cookie);
    const ops = await responsePathOps(async () => request(authorizeUrl(client), { headers: { Cookie: cookie } }), 302);
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorizeSso);
  });

  it('POST /consent, allow', async () => {
    const [client, user] = await Promise.all([createClient({ firstParty: false }), createUser()]);
    const consent = async () => {
      const login = await submitLogin(client, user, { prompt: 'consent' });
      return formRequest('/consent', { tx: hiddenTx(await login.text()), decision: 'allow' }, { Cookie: sessionCookie(login) });
    };
    const ops = await responsePathOps(consent, 303);
    expectWithin(ops, ROUND_TRIP_BUDGETS.consent);
  });

  it('GET /logout with an id_token_hint, signed in', async () => {
    const [client, user] = await Promise.all([createClient({ postLogoutRedirectUris: [POST_LOGOUT] }), createUser()]);
    const logout = async () => {
      const { tokens, cookie } = await tokensFor(client, user);
      const query = new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT });
      return request(`/logout?${query}`, { headers: { Cookie: cookie } });
    };
    const ops = await responsePathOps(logout, 302);
    expectWithin(ops, ROUND_TRIP_BUDGETS.logoutGet);
  });

  it('POST /logout from our own page, signed in', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const ops = await responsePathOps(async () => formRequest('/logout', {}, { Cookie: (await signIn(client, user)).cookie }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.logoutPost);
  });

  it('POST /device with a user code, signed out', async () => {
    const client = await createDeviceClient();
    const ops = await responsePathOps(async () => formRequest('/device', { user_code: (await startDevice(client, 'openid profile')).user_code }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.device);
  });

  it('POST /device/login with the right password', async () => {
    const [client, user] = await Promise.all([createDeviceClient(), createUser()]);
    const login = async () => ({ tx: await deviceLoginTx((await startDevice(client, 'openid profile')).user_code), username: user.username, password: user.password });
    const ops = await responsePathOps(async () => formRequest('/device/login', await login()), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.deviceLogin);
  });

  it('POST /device/decision, allow', async () => {
    const [client, user] = await Promise.all([createDeviceClient(), createUser()]);
    const decision = async () => {
      const { tx, cookie } = await deviceApproval((await startDevice(client, 'openid profile')).user_code, user);
      return formRequest('/device/decision', { tx, decision: 'allow' }, { Cookie: cookie });
    };
    const ops = await responsePathOps(decision, 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.deviceDecision);
  });
});
