// "Remember this device" (MFA_REMEMBER_DEVICE_DAYS): spares the policy's second factor, never an acr "2" request.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/crypto/password.ts';
import { replacePassword, setUserDisabled } from '../../src/store/cascades.ts';
import { authorizeUrl, createClient, createUser, hiddenTx, peppers, sessionCookie, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { tamper } from '../helpers/flow.ts';
import { expectSecondFactorPage, getWith, GOOD_CODE, postWith, registerFakeFactor, setCookieValue, useFakeFactor } from '../helpers/second-factor.ts';

useFakeFactor();
const REMEMBER = { MFA_REMEMBER_DEVICE_DAYS: '30' };
const DEVICE_COOKIE = 'edge_oidc_device';

async function logIn(client: TestClient, user: TestUser, params: Record<string, string> = {}, cookie?: string): Promise<Response> {
  const page = await getWith(REMEMBER, authorizeUrl(client, params));
  return postWith(REMEMBER, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password }, cookie);
}

/** Signs in with the password and the factor, ticking "remember": the device cookie it sets. */
async function rememberedDevice(client: TestClient, user: TestUser): Promise<string> {
  const login = await logIn(client, user);
  const page = await expectSecondFactorPage(login);
  expect(page).toContain('Remember this device for 30 days');
  const res = await postWith(REMEMBER, '/login/second-factor', { tx: hiddenTx(page), factor: 'fake', code: GOOD_CODE, remember: '1' }, sessionCookie(login));
  expect(res.status).toBe(303);
  const cookie = setCookieValue(res, DEVICE_COOKIE);
  expect(cookie).toMatch(/^__Host-edge_oidc_device=/);
  expect(res.headers.get('Set-Cookie')).toMatch(/__Host-edge_oidc_device=[^,]*HttpOnly; Secure/);
  return cookie!;
}

async function setup() {
  const [client, user] = await Promise.all([createClient(), createUser()]);
  registerFakeFactor(user.id);
  return { client, user };
}

describe('remember this device', () => {
  it('spares the policy\'s second factor at the next sign-in of that user on that device', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    expect((await logIn(client, user, {}, device)).status).toBe(303);
  });

  it('is not set without the box ticked, nor offered when MFA_REMEMBER_DEVICE_DAYS is 0', async () => {
    const { client, user } = await setup();
    const login = await logIn(client, user);
    const res = await postWith(REMEMBER, '/login/second-factor', { tx: hiddenTx(await expectSecondFactorPage(login)), factor: 'fake', code: GOOD_CODE }, sessionCookie(login));
    expect(setCookieValue(res, DEVICE_COOKIE)).toBeNull();
    const page = await getWith({}, authorizeUrl(client));
    const off = await postWith({}, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
    expect(await expectSecondFactorPage(off)).not.toContain('name="remember"');
  });

  it('never answers a request for acr 2: the factor is asked again', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    await expectSecondFactorPage(await logIn(client, user, { acr_values: '2' }, device));
  });

  it('is voided by a new password', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    await replacePassword(env.DB, user.id, await hashPassword(user.password, await peppers()));
    await expectSecondFactorPage(await logIn(client, user, {}, device));
  });

  it('is voided by disabling the user (enabled again after)', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    await setUserDisabled(env.DB, user.id, true);
    await setUserDisabled(env.DB, user.id, false);
    await expectSecondFactorPage(await logIn(client, user, {}, device));
  });

  it('is ignored when altered', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    const [name, value] = [device.slice(0, device.indexOf('=') + 1), device.slice(device.indexOf('=') + 1)];
    await expectSecondFactorPage(await logIn(client, user, {}, name + tamper(value)));
  });

  it('is ignored for another user on the same device', async () => {
    const { client, user } = await setup();
    const other = await createUser();
    registerFakeFactor(other.id);
    const device = await rememberedDevice(client, user);
    await expectSecondFactorPage(await logIn(client, other, {}, device));
  });

  it('is ignored without its __Host- prefix on https (a cookie a sibling domain could set)', async () => {
    const { client, user } = await setup();
    const device = await rememberedDevice(client, user);
    await expectSecondFactorPage(await logIn(client, user, {}, device.replace('__Host-', '')));
  });
});
