import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../src/i18n/en.ts';
import { authorizeUrl, call, callWithEnv, createClient, createDeviceClient, createUser, hiddenTx, ISSUER, loginTx, postLogin, type TestClient } from '../helpers/fixtures.ts';
import { TURNSTILE_ON, TURNSTILE_PASS, turnstileStandIn } from '../helpers/doubles.ts';
import { deviceLoginTx, startDevice } from '../helpers/device.ts';
import { expectRedirectError, isLoginPage, tokensFor } from '../helpers/flow.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const page = async (vars: object, client: TestClient, params: Record<string, string> = {}) => (await callWithEnv(vars, authorizeUrl(client, params))).text();

const postLoginWith = (vars: object, body: Record<string, string>, ip: string) =>
  callWithEnv(vars, '/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'CF-Connecting-IP': ip },
    body: new URLSearchParams(body).toString(),
  });

describe('the sign-in page, finished', () => {
  it('links to sign-up only with SIGNUP=open', async () => {
    const client = await createClient();
    expect(await page({}, client)).not.toContain('href="/signup"');
    expect(await page({ SIGNUP: 'invite' }, client)).not.toContain('href="/signup"');
    expect(await page({ SIGNUP: 'open' }, client)).toContain('href="/signup"');
  });

  it('"Not you?" when prefilled from login_hint: another account, the same transaction without the hint', async () => {
    const client = await createClient();
    expect(await page({}, client)).not.toContain('Not you?');
    const html = await page({}, client, { login_hint: 'alice' });
    expect(html).toContain('value="alice"');
    expect(html).toContain('Not you?');
    const res = await call('/login/switch', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER },
      body: new URLSearchParams({ tx: hiddenTx(html), username: 'alice' }).toString(),
    });
    expect(res.status).toBe(200);
    const other = await res.text();
    expect(isLoginPage(other)).toBe(true);
    expect(other).not.toContain('value="alice"');
    expect(other).not.toContain('Not you?');
  });

  it('"Not you?" with an id_token_hint returns login_required to the client (OIDC Core §3.1.2.1)', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user);
    const html = await page({}, client, { id_token_hint: tokens.id_token! });
    expect(html).toContain('Not you?');
    const res = await call('/login/switch', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER },
      body: new URLSearchParams({ tx: hiddenTx(html) }).toString(),
    });
    expectRedirectError(res, client, 'login_required', 'st-123', 303);
  });

  it('refuses an altered or cross-site "Not you?"', async () => {
    const client = await createClient();
    const tx = await loginTx(client, { login_hint: 'alice' });
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER };
    expect((await call('/login/switch', { method: 'POST', headers, body: `tx=${tx.slice(0, -4)}AAAA` })).status).toBe(400);
    expect((await call('/login/switch', { method: 'POST', headers: { ...headers, Origin: 'https://evil.example' }, body: `tx=${tx}` })).status).toBe(403);
  });

  it('a show-password toggle from a same-origin script the CSP allows', async () => {
    const client = await createClient();
    const res = await callWithEnv({}, authorizeUrl(client));
    expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).toContain(`data-reveal="${en.showPassword}"`);
    expect(html).toContain('<script src="/assets/password-toggle.js" defer=""></script>');
    const script = await call('/assets/password-toggle.js');
    expect(script.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("querySelectorAll('input[type=password][data-reveal]')");
  });

  it('input borders have a colour of their own in dark mode', async () => {
    const css = await (await call('/assets/style.css')).text();
    expect(css).toMatch(/prefers-color-scheme:dark\)\{:root\{[^}]*--input-border:#7d8693/);
    expect(css).toContain('border:1px solid var(--input-border)');
  });

  it('privacy and terms URLs: in the footer and in discovery (op_policy_uri, op_tos_uri)', async () => {
    const vars = { PRIVACY_POLICY_URL: 'https://example.com/privacy', TERMS_OF_SERVICE_URL: 'https://example.com/terms' };
    const client = await createClient();
    const html = await page(vars, client);
    expect(html).toContain('<footer class="documents small"><a href="https://example.com/privacy">Privacy</a><a href="https://example.com/terms">Terms</a></footer>');
    const metadata = await (await callWithEnv(vars, '/.well-known/openid-configuration')).json<Record<string, unknown>>();
    expect(metadata).toMatchObject({ op_policy_uri: 'https://example.com/privacy', op_tos_uri: 'https://example.com/terms' });
    const plain = await (await call('/.well-known/openid-configuration')).json<Record<string, unknown>>();
    expect(plain).not.toHaveProperty('op_policy_uri');
    expect(await page({}, client)).not.toContain('<footer');
  });
});

describe('Turnstile softens the per-address sign-in limit', () => {
  const LIMIT = { LOGIN_MAX_ATTEMPTS_PER_IP: '2' };

  async function pastTheAddressLimit(vars: object, ip: string) {
    const client = await createClient();
    for (let i = 0; i < 2; i++) await postLoginWith(vars, { tx: await loginTx(client), username: `nobody-${i}`, password: 'wrong password' }, ip);
    return client;
  }

  it('without Turnstile, past the limit every sign-in from the address is refused', async () => {
    const user = await createUser();
    const client = await pastTheAddressLimit(LIMIT, '100.64.0.1');
    const res = await postLoginWith(LIMIT, { tx: await loginTx(client), username: user.username, password: user.password }, '100.64.0.1');
    expect(res.status).toBe(429);
    expect(await res.text()).toContain(en.tooManySignIns.replace(/'/g, '&#39;'));
  });

  it('with Turnstile, past the limit the form asks for a challenge; a failed one asks again; a solved one signs in', async () => {
    const received = turnstileStandIn();
    const vars = { ...LIMIT, ...TURNSTILE_ON };
    const user = await createUser();
    const client = await pastTheAddressLimit(vars, '100.64.0.2');
    const asked = await postLoginWith(vars, { tx: await loginTx(client), username: user.username, password: user.password }, '100.64.0.2');
    expect(asked.status).toBe(429);
    const html = await asked.text();
    expect(html).toContain(en.challengeRequired);
    expect(html).toContain('class="cf-turnstile" data-sitekey="site-key-test"');
    const failed = await postLoginWith(vars, { tx: hiddenTx(html), username: user.username, password: user.password, 'cf-turnstile-response': 'bad' }, '100.64.0.2');
    expect(failed.status).toBe(429);
    expect(await failed.text()).toContain(en.challengeRequired);
    const solved = await postLoginWith(vars, { tx: hiddenTx(html), username: user.username, password: user.password, 'cf-turnstile-response': TURNSTILE_PASS }, '100.64.0.2');
    expect(solved.status).toBe(303);
    expect(new URL(solved.headers.get('Location')!).searchParams.get('code')).toBeTruthy();
    expect(received.map((f) => f.get('remoteip'))).toEqual(['100.64.0.2', '100.64.0.2']);
  });

  it('a failing verify endpoint keeps asking (fails closed)', async () => {
    turnstileStandIn(503);
    const vars = { ...LIMIT, ...TURNSTILE_ON };
    const user = await createUser();
    const client = await pastTheAddressLimit(vars, '100.64.0.3');
    const res = await postLoginWith(vars, { tx: await loginTx(client), username: user.username, password: user.password, 'cf-turnstile-response': TURNSTILE_PASS }, '100.64.0.3');
    expect(res.status).toBe(429);
    expect(await res.text()).toContain(en.challengeRequired);
  });

  it('the device flow\'s sign-in page shows the same challenge, and a solved one signs in', async () => {
    turnstileStandIn();
    const vars = { ...LIMIT, ...TURNSTILE_ON };
    const [user, deviceClient] = await Promise.all([createUser(), createDeviceClient()]);
    await pastTheAddressLimit(vars, '100.64.0.6');
    const { user_code } = await startDevice(deviceClient, 'openid');
    const postDevice = (body: Record<string, string>) =>
      callWithEnv(vars, '/device/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'CF-Connecting-IP': '100.64.0.6' },
        body: new URLSearchParams(body).toString(),
      });
    const asked = await postDevice({ tx: await deviceLoginTx(user_code), username: user.username, password: user.password });
    expect(asked.status).toBe(429);
    const html = await asked.text();
    expect(html).toContain(en.challengeRequired);
    expect(html).toContain('class="cf-turnstile" data-sitekey="site-key-test"');
    const solved = await postDevice({ tx: hiddenTx(html), username: user.username, password: user.password, 'cf-turnstile-response': TURNSTILE_PASS });
    expect(solved.status).toBe(200);
    expect(await solved.text()).toContain('Allow Test App?');
  });

  it('the per-account limit is never softened', async () => {
    turnstileStandIn();
    const vars = { LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '1', ...TURNSTILE_ON };
    const [client, user] = await Promise.all([createClient(), createUser()]);
    await postLogin(await loginTx(client), user.username, 'wrong password', { 'CF-Connecting-IP': '100.64.0.4' });
    const res = await postLoginWith(vars, { tx: await loginTx(client), username: user.username, password: user.password, 'cf-turnstile-response': TURNSTILE_PASS }, '100.64.0.5');
    expect(res.status).toBe(429);
    expect(await res.text()).not.toContain('cf-turnstile');
  });
});
