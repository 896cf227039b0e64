// The device flow and the second-factor policy: approval waits until the browser's session has the second factor.
import { describe, expect, it } from 'vitest';
import { createDeviceClient, createUser, hiddenTx, sessionCookie } from '../helpers/fixtures.ts';
import { startDevice } from '../helpers/device.ts';
import { expectSecondFactorPage, getWith, GOOD_CODE, postWith, registerFakeFactor, useFakeFactor } from '../helpers/second-factor.ts';

useFakeFactor();

async function deviceSignIn(vars: Record<string, string>, userCode: string, username: string, password: string) {
  const entered = await postWith(vars, '/device', { user_code: userCode });
  expect(entered.status).toBe(200);
  return postWith(vars, '/device/login', { tx: hiddenTx(await entered.text()), username, password });
}

describe('device approval under the second-factor policy', () => {
  it('asks a user with a factor to complete it on /account first, then approves in the raised session', async () => {
    const [client, user] = await Promise.all([createDeviceClient({ tokenEndpointAuthMethod: 'none' }), createUser()]);
    registerFakeFactor(user.id);
    const { user_code } = await startDevice(client, 'openid');
    const signedIn = await deviceSignIn({}, user_code, user.username, user.password);
    expect(signedIn.status).toBe(403);
    expect(await signedIn.text()).toContain('/account');
    const account = await getWith({}, '/account', sessionCookie(signedIn));
    const raised = await postWith({}, '/login/second-factor', { tx: hiddenTx(await expectSecondFactorPage(account)), factor: 'fake', code: GOOD_CODE }, sessionCookie(signedIn));
    expect(raised.headers.get('Location')).toBe('/account');
    const again = await postWith({}, '/device', { user_code }, sessionCookie(raised));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('value="allow"');
  });

  it('approves at once under policy off, or for a user without a factor under optional', async () => {
    const [client, user, plain] = await Promise.all([createDeviceClient({ tokenEndpointAuthMethod: 'none' }), createUser(), createUser()]);
    registerFakeFactor(user.id);
    const off = await deviceSignIn({ MFA_POLICY: 'off' }, (await startDevice(client, 'openid')).user_code, user.username, user.password);
    expect(await off.text()).toContain('value="allow"');
    const optional = await deviceSignIn({}, (await startDevice(client, 'openid')).user_code, plain.username, plain.password);
    expect(await optional.text()).toContain('value="allow"');
  });
});
