// A dynamically registered client costs the sign-in path nothing more: /authorize still makes no D1 primary round
// trip, and /token (which records the client's first use) still one batch. POST /login reads nothing of a
// registration: round-trips-sign-in.test.ts measures it for a third-party client, which such a client is.
import { describe, it } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { authorizeUrl, createUser, pkcePair } from '../helpers/fixtures.ts';
import { expectRedirect, loginAndAllow } from '../helpers/flow.ts';
import { registerPublicClient } from '../helpers/registration.ts';
import { expectWithin, formRequest, request, responsePathOps } from './probe.ts';

describe('storage round trips on the response path: a dynamically registered client', () => {
  it('GET /authorize to the login form', async () => {
    const { client } = await registerPublicClient();
    const { challenge } = await pkcePair();
    const ops = await responsePathOps(async () => request(authorizeUrl(client, { code_challenge: challenge, code_challenge_method: 'S256' })), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorize);
  });

  it('POST /token, code exchange with PKCE, marking first use', async () => {
    const { client } = await registerPublicClient();
    // A new user each time: one who already consented would skip the consent page.
    const exchange = async () => {
      const [user, { verifier, challenge }] = await Promise.all([createUser(), pkcePair()]);
      const { allowed } = await loginAndAllow(client, user, { code_challenge: challenge, code_challenge_method: 'S256' });
      const code = expectRedirect(allowed, client, 303).get('code')!;
      return formRequest('/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, code_verifier: verifier });
    };
    const ops = await responsePathOps(exchange, 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.token);
  });
});
