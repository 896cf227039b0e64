import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { REMAINING_STEPS } from '../../src/interaction/remaining.ts';
import { requirePasswordChange } from '../../src/interaction/steps/password-change.ts';
import { secondFactor } from '../../src/interaction/steps/second-factor.ts';
import { setPasswordChangeRequired } from '../../src/store/user-email.ts';
import { findUserById } from '../../src/store/users.ts';
import { authorizeUrl, createClient, createUser, form, hiddenTx, postLogin, sessionCookie, submitLogin } from '../helpers/fixtures.ts';
import { expectErrorPage, isLoginPage, loginTx } from '../helpers/flow.ts';
import { hiddenField } from '../helpers/mail.ts';
import { expectSecondFactorPage, getWith, GOOD_CODE, postWith, registerFakeFactor, useFakeFactor } from '../helpers/second-factor.ts';

useFakeFactor();

const NEW_PASSWORD = 'a brand new passphrase';

async function requiredUser() {
  const user = await createUser();
  await setPasswordChangeRequired(env.DB, user.id, true, Math.floor(Date.now() / 1000));
  return user;
}

describe('required password change (a remaining step)', () => {
  // The merged order (w2-mfa) puts the second factor first: someone holding only a stolen password must not be able
  // to choose a new one, which would also void the user's remember-device cookies and sessions.
  it('runs right after the second factor, before step-up and consent', () => {
    expect(REMAINING_STEPS.slice(0, 2)).toEqual([secondFactor, requirePasswordChange]);
  });

  it('asks a user with a second factor for it before the new password', async () => {
    const [client, user] = await Promise.all([createClient(), requiredUser()]);
    registerFakeFactor(user.id);
    const page = await getWith({}, authorizeUrl(client));
    const login = await postWith({}, '/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
    const factorPage = await expectSecondFactorPage(login);
    expect(factorPage).not.toContain('action="/password/change"');
    const res = await postWith({}, '/login/second-factor', { tx: hiddenTx(factorPage), factor: 'fake', code: GOOD_CODE }, sessionCookie(login));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('action="/password/change"');
  });

  it('asks for a new password after the right one, then sends the user back to sign in with it', async () => {
    const [client, user] = await Promise.all([createClient(), requiredUser()]);
    const res = await submitLogin(client, user);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/password/change"');
    expect(res.headers.get('Location')).toBeNull();
    const tx = hiddenField(html, 'tx');
    const done = await form('/password/change', { tx, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(isLoginPage(page)).toBe(true);
    expect((await findUserById(env.DB, user.id))!.passwordChangeRequired).toBe(false);
    expect((await postLogin(hiddenTx(page), user.username, NEW_PASSWORD)).status).toBe(303);
    // The form cannot be replayed once the flag is cleared.
    await expectErrorPage(await form('/password/change', { tx, password: 'yet another passphrase', confirm: 'yet another passphrase' }), 400);
  });

  it('does not ask users without the flag', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    expect((await submitLogin(client, user)).status).toBe(303);
  });

  it('refuses a weak or mistyped password and keeps asking', async () => {
    const [client, user] = await Promise.all([createClient(), requiredUser()]);
    const tx = hiddenField(await (await submitLogin(client, user)).text(), 'tx');
    const weak = await form('/password/change', { tx, password: 'password1', confirm: 'password1' });
    expect(weak.status).toBe(200);
    expect(await weak.text()).toContain('most commonly used');
    const mismatch = await form('/password/change', { tx, password: NEW_PASSWORD, confirm: 'other' });
    expect(await mismatch.text()).toContain('not the same');
    expect((await findUserById(env.DB, user.id))!.passwordChangeRequired).toBe(true);
  });

  it('refuses a missing, altered or foreign form', async () => {
    const client = await createClient();
    await expectErrorPage(await form('/password/change', { password: NEW_PASSWORD, confirm: NEW_PASSWORD }), 400);
    await expectErrorPage(await form('/password/change', { tx: 'x'.repeat(10_000), password: NEW_PASSWORD, confirm: NEW_PASSWORD }), 400);
    // A sign-in transaction is not a password-change form.
    await expectErrorPage(await form('/password/change', { tx: await loginTx(client), password: NEW_PASSWORD, confirm: NEW_PASSWORD }), 400);
  });
});
