// The second-factor step: the policy (deployment and per client), acr "2" step-up, prompt=none, enrolment, auth_time.
import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { MfaPolicy } from '../../src/constants.ts';
import { SECOND_FACTORS } from '../../src/interaction/second-factors.ts';
import { findSessionState } from '../../src/store/sessions.ts';
import { authorizeUrl, createClient, createUser, exchange, hiddenTx, sessionCookie, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { expectRedirect, expectRedirectError, isLoginPage, sessionIdHash, tamper, waitForSessionRow } from '../helpers/flow.ts';
import {
  expectSecondFactorPage, fakeFactorState, getWith, GOOD_CODE, postWith, registerFakeFactor, SLOW_CODE, useFakeFactor, WRONG_CODE_ERROR,
} from '../helpers/second-factor.ts';

useFakeFactor();
afterEach(() => {
  vi.useRealTimers();
});

type Vars = Record<string, string>;
const essentialAcr2 = JSON.stringify({ id_token: { acr: { essential: true, values: ['2'] } } });

/** /authorize then the password form, in this isolate, with these vars. */
async function logIn(vars: Vars, client: TestClient, user: TestUser, params: Record<string, string> = {}): Promise<Response> {
  const page = await getWith(vars, authorizeUrl(client, params));
  expect(page.status).toBe(200);
  return postWith(vars, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
}

function submitFactor(vars: Vars, page: string, cookie: string, fields: Record<string, string> = { code: GOOD_CODE }): Promise<Response> {
  return postWith(vars, '/login/second-factor', { tx: hiddenTx(page), factor: 'fake', ...fields }, cookie);
}

/** The id_token's claims for a redirect carrying a code. */
async function idTokenOf(res: Response, client: TestClient, status = 303) {
  const token = await exchange(client, expectRedirect(res, client, status).get('code')!);
  expect(token.status).toBe(200);
  return decodeJwt((await token.json<{ id_token: string }>()).id_token);
}

/** Signs in with the password, then the fake factor: the answer to the factor's form. */
async function logInWithFactor(vars: Vars, client: TestClient, user: TestUser, params: Record<string, string> = {}, fields?: Record<string, string>) {
  const login = await logIn(vars, client, user, params);
  return submitFactor(vars, await expectSecondFactorPage(login), sessionCookie(login), fields);
}

describe('the policy, per deployment (MFA_POLICY)', () => {
  it('optional (the default): a user with a factor is asked for it, and the code then carries amr pwd otp mfa', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const login = await logIn({}, client, user, { acr_values: '1 2' });
    const page = await expectSecondFactorPage(login);
    expect(page).toContain('name="factor" value="fake"');
    expect(page).not.toContain('name="remember"');
    const claims = await idTokenOf(await submitFactor({}, page, sessionCookie(login)), client);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('2');
    expect(fakeFactorState.verified).toEqual([{ userId: user.id, clientId: client.clientId, challenge: fakeFactorState.challenges[0] }]);
    expect(fakeFactorState.challenges[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('optional: a user without a factor signs in with the password alone', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor();
    const claims = await idTokenOf(await logIn({}, client, user), client);
    expect(claims.amr).toEqual(['pwd']);
  });

  it('off: a user with a factor is not asked for it', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    expect((await idTokenOf(await logIn({ MFA_POLICY: 'off' }, client, user), client)).amr).toEqual(['pwd']);
  });

  it('required: a user without a factor enrols one right after the password, sees its codes once, then goes on at acr 2', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor();
    const vars = { MFA_POLICY: 'required' };
    const login = await logIn(vars, client, user, { acr_values: '1 2' });
    const page = await expectSecondFactorPage(login);
    expect(page).toContain('Set up two-step verification');
    const wrong = await submitFactor(vars, page, sessionCookie(login), { code: 'nope' });
    expect(await expectSecondFactorPage(wrong)).toContain(WRONG_CODE_ERROR);
    // A refused enrolment keeps its challenge: a key derived from it (TOTP) stays the one the user scanned.
    expect(fakeFactorState.challenges).toHaveLength(2);
    expect(fakeFactorState.challenges[1]).toBe(fakeFactorState.challenges[0]);
    const enrolled = await submitFactor(vars, page, sessionCookie(login));
    expect(enrolled.status).toBe(200);
    const shown = await enrolled.text();
    expect(shown).toContain('aaaa-bbbb');
    expect(shown).toContain('action="/login/second-factor/continue"');
    expect(fakeFactorState.enrolled.has(user.id)).toBe(true);
    const done = await postWith(vars, '/login/second-factor/continue', { tx: hiddenTx(shown) }, sessionCookie(enrolled));
    const claims = await idTokenOf(done, client);
    expect(claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: '2' });
  });

});

describe('enrolment under a required policy', () => {
  it('a user without a factor is offered the built-in factors that can be enrolled: a passkey and an authenticator app', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const page = await expectSecondFactorPage(await logIn({ MFA_POLICY: 'required' }, client, user));
    expect(page).toContain('Set up two-step verification');
    expect(page).toContain('name="factor" value="passkey"');
    expect(page).toContain('name="factor" value="totp"');
    // Each factor's form has its own button (the passkey's is shown by webauthn.js).
    expect(page).toMatch(/data-factor="totp">(?:(?!<\/form>).)*<button type="submit">Turn on<\/button><\/form>/s);
    // Recovery codes come with another factor, never on their own.
    expect(page).not.toContain('name="factor" value="recovery"');
  });
});

/**
 * With passkeys and TOTP built in, every deployment can enrol a factor; a table without one (a deployment that
 * removed them) is the policy that cannot be met. The table is restored, in its order, after the test.
 */
function withoutEnrollableFactors(): void {
  const all = Object.entries(SECOND_FACTORS);
  for (const [name, f] of all) if (f.enrolment) delete SECOND_FACTORS[name];
  onTestFinished(() => {
    for (const name of Object.keys(SECOND_FACTORS)) delete SECOND_FACTORS[name];
    for (const [name, f] of all) SECOND_FACTORS[name] = f;
  });
}

describe('a policy that cannot be met', () => {
  it('required with no factor that can be enrolled: access_denied, never a sign-in at one factor', async () => {
    withoutEnrollableFactors();
    const [client, user] = await Promise.all([createClient(), createUser()]);
    expectRedirectError(await logIn({ MFA_POLICY: 'required' }, client, user), client, 'access_denied', 'st-123', 303);
  });

  it('on /account: an error page, not a redirect to itself', async () => {
    withoutEnrollableFactors();
    const user = await createUser();
    const page = await getWith({ MFA_POLICY: 'required' }, '/account');
    const res = await postWith({ MFA_POLICY: 'required' }, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
    expect(res.status).toBe(403);
    expect(res.headers.get('Location')).toBeNull();
  });
});

describe('the policy, per client (clients.mfa_policy)', () => {
  const cases: [MfaPolicy, string, boolean, boolean][] = [
    ['off', 'optional', true, false],
    ['optional', 'off', true, true],
    ['required', 'off', false, true],
    ['optional', 'required', false, false],
  ];
  for (const [own, deployment, enrolled, asked] of cases) {
    it(`a client's ${own} overrides MFA_POLICY=${deployment} for a user ${enrolled ? 'with' : 'without'} a factor: ${asked ? '' : 'not '}asked`, async () => {
      const [client, user] = await Promise.all([createClient({ mfaPolicy: own }), createUser()]);
      registerFakeFactor(...(enrolled ? [user.id] : []));
      const res = await logIn({ MFA_POLICY: deployment }, client, user);
      if (asked) await expectSecondFactorPage(res);
      else expect(res.status).toBe(303);
    });
  }

  it('a client without its own policy follows the deployment', async () => {
    const [client, user] = await Promise.all([createClient({ mfaPolicy: null }), createUser()]);
    registerFakeFactor();
    expect(await expectSecondFactorPage(await logIn({ MFA_POLICY: 'required' }, client, user))).toContain('Set up');
  });
});

describe('step-up (acr_values, an essential acr)', () => {
  it('acr_values=2 asks a signed-in user with a factor for it even when the policy is off, and the id_token says acr 2', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const vars = { MFA_POLICY: 'off' };
    const first = await logIn(vars, client, user);
    expect(first.status).toBe(303);
    const cookie = sessionCookie(first);
    const page = await expectSecondFactorPage(await getWith(vars, authorizeUrl(client, { acr_values: '2' }), cookie));
    const claims = await idTokenOf(await submitFactor(vars, page, cookie), client);
    expect(claims).toMatchObject({ acr: '2', amr: ['pwd', 'otp', 'mfa'] });
  });

  it('auth_time is the time of the step-up, and the session before it is ended', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const vars = { MFA_POLICY: 'off' };
    const first = await logIn(vars, client, user);
    const before = (await idTokenOf(first, client)).auth_time as number;
    const oldCookie = sessionCookie(first);
    await waitForSessionRow(oldCookie);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    const page = await expectSecondFactorPage(await getWith(vars, authorizeUrl(client, { acr_values: '2' }), oldCookie));
    const claims = await idTokenOf(await submitFactor(vars, page, oldCookie), client);
    expect(claims.auth_time).toBeGreaterThanOrEqual(before + 120);
    expect(await findSessionState(env.DB, await sessionIdHash(oldCookie), Math.floor(Date.now() / 1000))).toBe('ended');
  });

  it('max_age keeps its rules after a step-up: the raised session answers while younger than max_age', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const raised = await logInWithFactor({}, client, user);
    expect(raised.status).toBe(303);
    const res = await getWith({}, authorizeUrl(client, { max_age: '300', acr_values: '2' }), sessionCookie(raised));
    expect((await idTokenOf(res, client, 302)).acr).toBe('2');
  });

  it('an essential acr 2 from a user without a factor is offered enrolment when the policy allows it', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor();
    expect(await expectSecondFactorPage(await logIn({}, client, user, { claims: essentialAcr2 }))).toContain('Set up');
  });

  it('an essential acr 2 from a user without a factor under policy off is unmet_authentication_requirements', async () => {
    const [client, user] = await Promise.all([createClient({ mfaPolicy: 'off' }), createUser()]);
    registerFakeFactor();
    expectRedirectError(await logIn({}, client, user, { claims: essentialAcr2 }), client, 'unmet_authentication_requirements', 'st-123', 303);
  });

  it('a voluntary acr_values=2 from a user without a factor is answered at acr 1', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor();
    expect((await idTokenOf(await logIn({}, client, user, { acr_values: '2' }), client)).acr).toBe('1');
  });
});

describe('prompt=none', () => {
  it('answers interaction_required when the policy asks a signed-in user for a factor', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const first = await logIn({ MFA_POLICY: 'off' }, client, user);
    registerFakeFactor(user.id);
    const res = await getWith({}, authorizeUrl(client, { prompt: 'none' }), sessionCookie(first));
    expectRedirectError(res, client, 'interaction_required');
  });

  it('answers interaction_required when enrolment is required', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor();
    const first = await logIn({ MFA_POLICY: 'off' }, client, user);
    const res = await getWith({ MFA_POLICY: 'required' }, authorizeUrl(client, { prompt: 'none' }), sessionCookie(first));
    expectRedirectError(res, client, 'interaction_required');
  });

  it('answers with a code once the session has two factors', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const raised = await logInWithFactor({}, client, user);
    const res = await getWith({}, authorizeUrl(client, { prompt: 'none', acr_values: '2' }), sessionCookie(raised));
    expect((await idTokenOf(res, client, 302)).acr).toBe('2');
  });
});

describe('the second-factor form', () => {
  it('re-shows the page with the refusal, 429 when throttled, and a new challenge each time', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const login = await logIn({}, client, user);
    const page = await expectSecondFactorPage(login);
    expect(await expectSecondFactorPage(await submitFactor({}, page, sessionCookie(login), { code: '000000' }))).toContain(WRONG_CODE_ERROR);
    await expectSecondFactorPage(await submitFactor({}, page, sessionCookie(login), { code: SLOW_CODE }), 429);
    expect(new Set(fakeFactorState.challenges).size).toBe(3);
  });

  for (const factor of ['other', '__proto__', 'constructor', '']) {
    it(`refuses a factor it did not offer ("${factor}") with the page again`, async () => {
      const [client, user] = await Promise.all([createClient(), createUser()]);
      registerFakeFactor(user.id);
      const login = await logIn({}, client, user);
      const page = await expectSecondFactorPage(login);
      const res = await postWith({}, '/login/second-factor', { tx: hiddenTx(page), factor, code: GOOD_CODE }, sessionCookie(login));
      expect(await expectSecondFactorPage(res)).toContain('Choose one of the methods offered.');
      expect(fakeFactorState.verified).toEqual([]);
    });
  }

  it('refuses an altered, missing or other page\'s transaction with an error page and no redirect', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const login = await logIn({}, client, user);
    const page = await expectSecondFactorPage(login);
    const loginTx = hiddenTx(await (await getWith({}, authorizeUrl(client))).text());
    for (const tx of [tamper(hiddenTx(page)), '', loginTx, 'x'.repeat(20_000)]) {
      const res = await postWith({}, '/login/second-factor', { tx, factor: 'fake', code: GOOD_CODE }, sessionCookie(login));
      expect(res.status).toBe(400);
      expect(res.headers.get('Location')).toBeNull();
    }
    const cont = await postWith({}, '/login/second-factor/continue', { tx: hiddenTx(page) }, sessionCookie(login));
    expect(cont.status).toBe(400);
  });

  it('asks for a sign-in when the page is posted without its session, or in another one', async () => {
    const [client, user, other] = await Promise.all([createClient(), createUser(), createUser()]);
    registerFakeFactor(user.id, other.id);
    const login = await logIn({}, client, user);
    const page = await expectSecondFactorPage(login);
    const otherLogin = await logIn({}, client, other);
    for (const cookie of [undefined, sessionCookie(otherLogin)]) {
      const res = await postWith({}, '/login/second-factor', { tx: hiddenTx(page), factor: 'fake', code: GOOD_CODE }, cookie);
      expect(res.status).toBe(200);
      expect(isLoginPage(await res.text())).toBe(true);
    }
    expect(fakeFactorState.verified).toEqual([]);
  });

  it('a factor\'s interstitial is shown with Continue before the code', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    registerFakeFactor(user.id);
    const res = await logInWithFactor({}, client, user, {}, { code: GOOD_CODE, interstitial: '1' });
    expect(res.status).toBe(200);
    const shown = await res.text();
    expect(shown).toContain('3 codes remain.');
    const elsewhere = await postWith({}, '/login/second-factor/continue', { tx: hiddenTx(shown) });
    expect(isLoginPage(await elsewhere.text())).toBe(true);
    const done = await postWith({}, '/login/second-factor/continue', { tx: hiddenTx(shown) }, sessionCookie(res));
    expect((await idTokenOf(done, client)).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('a third-party client\'s consent page follows the factor', async () => {
    const [client, user] = await Promise.all([createClient({ firstParty: false }), createUser()]);
    registerFakeFactor(user.id);
    const res = await logInWithFactor({}, client, user);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="allow"');
  });

  it('the account page asks for the factor too', async () => {
    const user = await createUser();
    registerFakeFactor(user.id);
    const page = await getWith({}, '/account');
    const res = await postWith({}, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
    const factorPage = await expectSecondFactorPage(res);
    const done = await submitFactor({}, factorPage, sessionCookie(res));
    expect(done.status).toBe(303);
    expect(done.headers.get('Location')).toBe('/account');
    const account = await getWith({}, '/account', sessionCookie(done));
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(user.username);
  });
});
