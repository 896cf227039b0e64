// /account's delete section: a typed confirmation, then a single-use mailed link that deletes with deleteUser's cascade.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findUserById } from '../../src/store/users.ts';
import { postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { callWithEnv, createClient, createUser, formWithEnv } from '../helpers/fixtures.ts';
import { expectErrorPage, refresh, tokensFor } from '../helpers/flow.ts';
import { DEV, hiddenField, mailedLink, outboxFor } from '../helpers/mail.ts';

afterEach(() => {
  vi.useRealTimers();
});

async function askToDelete(username: string): Promise<{ token: string; user: Awaited<ReturnType<typeof createUser>> }> {
  const user = await createUser({ username });
  const cookie = await signInToAccountFrom(user);
  const res = await postAccount(cookie, '/account/delete', { confirm: user.username });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain(`We have sent a link to ${user.username}@example.com`);
  return { token: (await mailedLink(`${user.username}@example.com`, '/email/delete-account')).searchParams.get('token')!, user };
}

describe('/account delete', () => {
  it('deletes only after the mailed link is followed, once; sessions and refresh tokens go with the account', async () => {
    const client = await createClient();
    const { token, user } = await askToDelete(`del-${crypto.randomUUID().slice(0, 8)}`);
    const { tokens } = await tokensFor(client, user, { scope: 'openid offline_access' });
    expect(await findUserById(env.DB, user.id)).not.toBeNull();
    // The link opens a button; a mail scanner's GET consumes nothing.
    const landing = await callWithEnv(DEV, `/email/delete-account?token=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(hiddenField(await landing.text(), 'token')).toBe(token);
    // Each token works for its own purpose only: at the "this wasn't me" endpoint it is unknown, and stays usable.
    await expectErrorPage(await formWithEnv(DEV, '/email/not-me', { token }));
    await expectErrorPage(await formWithEnv(DEV, '/password/reset', { token, password: 'a fresh correct horse', confirm: 'a fresh correct horse' }));
    const done = await formWithEnv(DEV, '/email/delete-account', { token });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your account was deleted');
    expect(await findUserById(env.DB, user.id)).toBeNull();
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
    await expectErrorPage(await formWithEnv(DEV, '/email/delete-account', { token }));
    const events = await queryAuditEvents(env.DB, { userId: user.id });
    expect(events.map((e) => `${e.type}:${e.outcome}`)).toEqual(expect.arrayContaining(['account.delete.request:success', 'account.delete:success']));
  });

  it('refuses a wrong, missing or oversized confirmation and mails nothing', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (const body of [{ confirm: 'someone-else' }, {}, { confirm: user.username.repeat(100) }, { confirm: user.username.toUpperCase() }]) {
      const res = await postAccount(cookie, '/account/delete', body);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Type your username exactly');
    }
    expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(0);
  });

  it('refuses an account without an email address', async () => {
    const user = await createUser({ email: null });
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/delete', { confirm: user.username });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('has no email address');
  });

  it('lets the link expire after 30 minutes, and refuses malformed links', async () => {
    const { token, user } = await askToDelete(`exp-${crypto.randomUUID().slice(0, 8)}`);
    vi.useFakeTimers({ now: Date.now() + 31 * 60_000, toFake: ['Date'] });
    await expectErrorPage(await callWithEnv(DEV, `/email/delete-account?token=${token}`));
    await expectErrorPage(await formWithEnv(DEV, '/email/delete-account', { token }));
    vi.useRealTimers();
    await expectErrorPage(await callWithEnv(DEV, '/email/delete-account?token=short'));
    await expectErrorPage(await formWithEnv(DEV, '/email/delete-account', { token: 'x'.repeat(5000) }));
    expect(await findUserById(env.DB, user.id)).not.toBeNull();
  });
});
