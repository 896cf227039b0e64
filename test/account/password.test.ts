// /account's password section: the current password, the policy, the cascade, the notice, and signing in again.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECENT_AUTH_SECONDS } from '../../src/account/client.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findUserById } from '../../src/store/users.ts';
import { getAccount, postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createClient, createUser, hiddenTx, postLogin } from '../helpers/fixtures.ts';
import { isLoginPage, refresh, tokensFor } from '../helpers/flow.ts';
import { mailedLink, outboxFor } from '../helpers/mail.ts';

const NEW_PASSWORD = 'a fresh correct horse';

afterEach(() => {
  vi.useRealTimers();
});

describe('/account password', () => {
  it('changes it with the current one: every session and refresh token ends, a notice is mailed, sign in again', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user, { scope: 'openid offline_access' });
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/password', { current: user.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(isLoginPage(html)).toBe(true);
    expect(html).toContain('Your password was changed');
    // This browser's session ended with the others (docs/decisions.md), and so did the application's refresh token.
    expect(isLoginPage(await (await getAccount(cookie)).text())).toBe(true);
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
    expect((await postLogin(hiddenTx(html), user.username, NEW_PASSWORD)).headers.get('Location')).toBe('/account');
    const [notice] = await outboxFor(`${user.username}@example.com`);
    expect(notice!.subject).toContain('Your password was changed');
    await mailedLink(`${user.username}@example.com`, '/email/not-me');
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'password.change' });
    expect(event).toMatchObject({ outcome: 'success', detail: 'account' });
  });

  it('refuses a wrong or missing current password, audited, and keeps the old one', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    const before = (await findUserById(env.DB, user.id))!.passwordHash;
    for (const body of [{ current: 'wrong', password: NEW_PASSWORD, confirm: NEW_PASSWORD }, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }]) {
      const res = await postAccount(cookie, '/account/password', body);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('The current password is not right.');
    }
    expect((await findUserById(env.DB, user.id))!.passwordHash).toBe(before);
    const events = await queryAuditEvents(env.DB, { userId: user.id, type: 'password.change' });
    expect(events.map((e) => [e.outcome, e.detail])).toEqual([['failure', 'wrong_current'], ['failure', 'wrong_current']]);
    expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(0);
  });

  it('refuses a mismatch, a weak, an oversized or a missing new password', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    const cases: [Record<string, string>, string][] = [
      [{ current: user.password, password: NEW_PASSWORD, confirm: 'other' }, 'not the same'],
      [{ current: user.password, password: 'password', confirm: 'password' }, 'Choose another password'],
      [{ current: user.password, password: 'x'.repeat(1025), confirm: 'x'.repeat(1025) }, 'not the same'],
      [{ current: user.password }, 'not the same'],
    ];
    for (const [body, words] of cases) {
      const res = await postAccount(cookie, '/account/password', body);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(words);
    }
    // Still signed in: nothing was changed.
    expect(isLoginPage(await (await getAccount(cookie)).text())).toBe(false);
  });

  it(`asks for a sign-in again when the last one is older than ${RECENT_AUTH_SECONDS} s`, async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    const before = (await findUserById(env.DB, user.id))!.passwordHash;
    vi.useFakeTimers({ now: Date.now() + (RECENT_AUTH_SECONDS + 5) * 1000, toFake: ['Date'] });
    const res = await postAccount(cookie, '/account/password', { current: user.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(isLoginPage(await res.text())).toBe(true);
    expect((await findUserById(env.DB, user.id))!.passwordHash).toBe(before);
  });
});
