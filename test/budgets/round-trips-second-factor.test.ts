// Storage round trips on the response path of the second-factor step (bench/lib/budgets.ts): none on the D1 primary.
import { env } from 'cloudflare:workers';
import { html } from 'hono/html';
import { afterEach, describe, expect, it } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { SECOND_FACTORS, type SecondFactorMethod } from '../../src/interaction/second-factors.ts';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { ensureRecoveryCodes } from '../../src/mfa/recovery-codes.ts';
import { replicaReader } from '../../src/store/db.ts';
import { insertTotpSecret } from '../../src/store/totp-secrets.ts';
import { authorizeUrl, createClient, createUser, hiddenTx, sessionCookie, signIn, type TestUser } from '../helpers/fixtures.ts';
import { loginTx, waitForSessionRow } from '../helpers/flow.ts';
import { postWith } from '../helpers/second-factor.ts';
import { addPasskey, SoftAuthenticator } from '../helpers/webauthn.ts';
import { expectWithin, formRequest, request, responsePathOps } from './probe.ts';

// Each op on the path is probed twice with a 200 ms hold, each probe a whole sign-in (PBKDF2 included).
const PROBE_TIMEOUT_MS = 30_000;
const enrolled = new Set<string>();

/** A factor whose enrolment lives in D1, read from a replica as the contract asks; any posted code "ok" passes. */
const storedFactor: SecondFactorMethod = {
  name: 'stored',
  amr: ['otp'],
  async isEnrolled(c, userId) {
    const row = await replicaReader(c.env.DB).prepare('SELECT id FROM users WHERE id = ?').bind(userId).first<{ id: string }>();
    return row !== null && enrolled.has(userId);
  },
  render: async () => html`<input name="code"/>`,
  verify: async (_c, form) => (form.get('code') === 'ok' ? { ok: true } : { ok: false, error: 'no', status: 200 }),
};

/** Every built-in factor: a passkey, the authenticator app (its secret is never read on these paths) and codes. */
async function giveAllFactors(user: TestUser): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await addPasskey(user.id, await SoftAuthenticator.create());
  await insertTotpSecret(env.DB, user.id, 'never-read-here', now);
  await ensureRecoveryCodes(env.DB, await importDataKeys(env.DATA_ENCRYPTION_KEY), user.id, now);
}

afterEach(() => {
  delete SECOND_FACTORS.stored;
  enrolled.clear();
});

describe('storage round trips on the response path: the second factor (bench/lib/budgets.ts)', () => {
  it('POST /login, MFA_POLICY=optional, no factor installed: the password sign-in\'s budget, unchanged', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const login = async () => formRequest('/login', { tx: await loginTx(client), username: user.username, password: user.password }, { 'CF-Connecting-IP': '192.0.2.30' });
    expectWithin(await responsePathOps(login, 303), ROUND_TRIP_BUDGETS.login);
  });

  it('POST /login, MFA_POLICY=optional, a user without a factor: no primary round trip', async () => {
    SECOND_FACTORS.stored = storedFactor;
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const login = async () => formRequest('/login', { tx: await loginTx(client), username: user.username, password: user.password }, { 'CF-Connecting-IP': '192.0.2.31' });
    expectWithin(await responsePathOps(login, 303), ROUND_TRIP_BUDGETS.loginSecondFactorCheck);
  }, PROBE_TIMEOUT_MS);

  it('POST /login/second-factor with the right code: no primary round trip', async () => {
    SECOND_FACTORS.stored = storedFactor;
    const [client, user] = await Promise.all([createClient(), createUser()]);
    enrolled.add(user.id);
    const submit = async () => {
      const login = await postWith({}, '/login', { tx: await loginTx(client), username: user.username, password: user.password });
      expect(login.status).toBe(200);
      return formRequest('/login/second-factor', { tx: hiddenTx(await login.text()), factor: 'stored', code: 'ok' }, { Cookie: sessionCookie(login) });
    };
    expectWithin(await responsePathOps(submit, 303), ROUND_TRIP_BUDGETS.secondFactor);
  }, PROBE_TIMEOUT_MS);

  it('POST /login for a user with a passkey, TOTP and recovery codes: the factors ride on the user\'s read, to their page', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    await giveAllFactors(user);
    const login = async () => formRequest('/login', { tx: await loginTx(client), username: user.username, password: user.password }, { 'CF-Connecting-IP': '192.0.2.32' });
    expectWithin(await responsePathOps(login, 200), ROUND_TRIP_BUDGETS.login);
  }, PROBE_TIMEOUT_MS);

  it('GET /authorize with a one-factor SSO session of a user with factors: read with the session, to their page', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { cookie } = await signIn(client, user);
    await Promise.all([waitForSessionRow(cookie), giveAllFactors(user)]);
    expectWithin(await responsePathOps(async () => request(authorizeUrl(client), { headers: { Cookie: cookie } }), 200), ROUND_TRIP_BUDGETS.authorizeSso);
  });
});
