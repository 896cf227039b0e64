// The passkey first factor through POST /login and /device/login: no password, amr hwk+user+mfa, never throttled
// by the password counters, and every hostile answer refused with the same generic page.
import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECENT_AUTH_SECONDS } from '../../../src/account/client.ts';
import { en } from '../../../src/i18n/en.ts';
import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from '../../../src/interaction/passkey/ceremony.ts';
import { listUserPasskeys } from '../../../src/store/passkeys.ts';
import { signInToAccount } from '../../helpers/account.ts';
import { startDevice } from '../../helpers/device.ts';
import { authorizeUrl, call, createClient, createDeviceClient, createUser, form, postLogin, sessionCookie, type TestClient } from '../../helpers/fixtures.ts';
import { expectRedirect, isLoginPage, redeemCode } from '../../helpers/flow.ts';
import { addPasskey, FLAGS, postPasskeyLogin, SoftAuthenticator, webauthnBlock } from '../../helpers/webauthn.ts';

async function loginPage(client: TestClient, params: Record<string, string> = {}): Promise<string> {
  const res = await call(authorizeUrl(client, params));
  expect(res.status).toBe(200);
  return res.text();
}

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(isLoginPage(html)).toBe(true);
  expect(html).toContain(en.passkeyRefused);
}

async function userWithPasskey() {
  const user = await createUser();
  const authenticator = await SoftAuthenticator.create();
  await addPasskey(user.id, authenticator);
  return { user, authenticator };
}

describe('passkey sign-in (POST /login method=passkey)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('offers a passkey on the sign-in page: conditional UI, its own form, one same-origin script', async () => {
    const html = await loginPage(await createClient());
    expect(html).toContain('autocomplete="username webauthn"');
    expect(html).toContain('name="method" value="passkey"');
    expect(html).toContain('data-webauthn="get"');
    expect(html).toContain('data-conditional=""');
    expect(html).toContain('<script src="/assets/webauthn.js" defer=""></script>');
    expect(webauthnBlock(html).credentials).toEqual([]);
    expect(html).not.toMatch(/<script>(?!<)/);
  });

  it('signs in with a user-verified passkey and no password: amr ["hwk","user","mfa"], acr "2"', async () => {
    const client = await createClient();
    const { user, authenticator } = await userWithPasskey();
    const res = await postPasskeyLogin(await loginPage(client, { acr_values: '2' }), authenticator, { userHandle: user.id });
    const params = expectRedirect(res, client, 303);
    expect(sessionCookie(res)).toBeTruthy();
    const tokens = await redeemCode(client, params.get('code')!);
    const claims = decodeJwt(tokens.id_token!);
    expect(claims.sub).toBe(user.id);
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    expect(claims.acr).toBe('2');
    // The counter and last use are written after the response.
    await vi.waitFor(async () => expect((await listUserPasskeys(env.DB, user.id))[0]!.lastUsedAt).not.toBeNull());
    expect((await listUserPasskeys(env.DB, user.id))[0]!.signCount).toBe(authenticator.counter);
  });

  it('is never refused by the password throttles, per account or per address (issue 13, lockout)', async () => {
    const client = await createClient();
    const { user, authenticator } = await userWithPasskey();
    // Exhaust the per-account counter (5) with wrong passwords, then the per-address one (50) with unknown names.
    for (let i = 0; i < 6; i++) await postLogin(await loginTxOf(client), user.username, 'wrong-password');
    const ip = { 'CF-Connecting-IP': '203.0.113.77' };
    for (let i = 0; i < 51; i++) await postLogin(await loginTxOf(client), `nobody-${i}`, 'wrong-password', ip);
    expect((await postLogin(await loginTxOf(client), user.username, user.password, ip)).status).toBe(429);
    const page = await loginPage(client);
    const block = webauthnBlock(page);
    const res = await form('/login', { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential: await authenticator.assert(block.challenge) }, ip);
    expectRedirect(res, client, 303);
  });

  it('refuses a replayed assertion: the challenge is claimed once', async () => {
    const client = await createClient();
    const { authenticator } = await userWithPasskey();
    const page = await loginPage(client);
    const block = webauthnBlock(page);
    const credential = await authenticator.assert(block.challenge);
    const body = { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential };
    expectRedirect(await form('/login', body), client, 303);
    await expectRefused(await form('/login', body));
  });

  it("refuses another transaction's challenge", async () => {
    const client = await createClient();
    const { authenticator } = await userWithPasskey();
    const first = webauthnBlock(await loginPage(client));
    const second = webauthnBlock(await loginPage(client, { state: 'another' }));
    const credential = await authenticator.assert(first.challenge);
    await expectRefused(await form('/login', { tx: second.tx!, method: 'passkey', passkey_challenge: first.sealed!, credential }));
  });

  it(`refuses a challenge older than ${WEBAUTHN_CHALLENGE_TTL_SECONDS} s`, async () => {
    const client = await createClient();
    const { authenticator } = await userWithPasskey();
    const page = await loginPage(client);
    vi.useFakeTimers({ now: Date.now() + (WEBAUTHN_CHALLENGE_TTL_SECONDS + 5) * 1000, toFake: ['Date'] });
    await expectRefused(await postPasskeyLogin(page, authenticator));
  });

  it.each([
    ['a wrong origin', { origin: 'https://evil.example' }],
    ['a sub-origin of the issuer', { origin: 'https://id.example.test:8443' }],
    ['a cross-origin iframe', { crossOrigin: true }],
    ['a wrong RP ID hash', { rpId: 'example.test' }],
    ['a registration answer (type webauthn.create)', { type: 'webauthn.create' }],
    ['another challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['no user verification (UV is required of a first factor)', { flags: FLAGS.UP }],
    ['no user presence', { flags: FLAGS.UV }],
    ['a counter that went back', { counter: 0 }],
  ])('refuses %s', async (_name, knobs) => {
    const client = await createClient();
    const { user, authenticator } = await userWithPasskey();
    // A counter the authenticator keeps: the stored one is ahead of what the clone sends.
    if ('counter' in knobs) await env.DB.prepare('UPDATE passkeys SET sign_count = 7 WHERE user_id = ?').bind(user.id).run();
    await expectRefused(await postPasskeyLogin(await loginPage(client), authenticator, knobs));
  });

  it('refuses an unknown credential, a tampered signature, a foreign user handle and garbage', async () => {
    const client = await createClient();
    const { authenticator } = await userWithPasskey();
    const stranger = await SoftAuthenticator.create();
    await expectRefused(await postPasskeyLogin(await loginPage(client), stranger));
    await expectRefused(await postPasskeyLogin(await loginPage(client), authenticator, { userHandle: 'someone-else' }));
    const block = webauthnBlock(await loginPage(client));
    const good = JSON.parse(await authenticator.assert(block.challenge)) as Record<string, string>;
    const tampered = { ...good, signature: good.signature!.slice(0, -4) + (good.signature!.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
    for (const credential of [JSON.stringify(tampered), 'not json', '[]', JSON.stringify({ ...good, clientDataJSON: '!!' }), 'x'.repeat(20_000)]) {
      const res = await form('/login', { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential });
      expect(res.status).toBeLessThan(500);
    }
    await expectRefused(await form('/login', { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential: JSON.stringify(tampered) }));
  });

  it('checks the signature with the stored key only, and refuses a disabled user after it', async () => {
    const client = await createClient();
    const { user, authenticator } = await userWithPasskey();
    await env.DB.prepare('UPDATE users SET disabled = 1 WHERE id = ?').bind(user.id).run();
    const res = await postPasskeyLogin(await loginPage(client), authenticator);
    expect(await res.text()).toContain('This account is disabled.');
  });

  it('signs in only the user a re-authentication names (id_token_hint, prompt=login)', async () => {
    const { user, authenticator } = await userWithPasskey();
    const other = await userWithPasskey();
    const cookie = await signInToAccount(user, authenticator);
    vi.useFakeTimers({ now: Date.now() + (RECENT_AUTH_SECONDS + 5) * 1000, toFake: ['Date'] });
    const page = await (await form('/account/passkeys/rename', { id: authenticator.credentialId, nickname: 'x' }, { Cookie: cookie })).text();
    const wrong = await postPasskeyLogin(page, other.authenticator);
    expect(await wrong.text()).toContain(en.otherAccountExpected);
    const right = await postPasskeyLogin(page, authenticator);
    expect(right.status).toBe(303);
    expect(right.headers.get('Location')).toBe('/account');
  });

  it('signs in on /device/login too', async () => {
    const { user, authenticator } = await userWithPasskey();
    const started = await startDevice(await createDeviceClient());
    const entered = await form('/device', { user_code: started.user_code });
    const res = await postPasskeyLogin(await entered.text(), authenticator, {}, '/device/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Allow Test App?');
    expect(html).toContain(user.username);
  });
});

async function loginTxOf(client: TestClient): Promise<string> {
  return webauthnBlock(await loginPage(client)).tx!;
}
