// The account page's throttled changes: password checks, email changes and deletion requests, per user.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_CHANGES_PER_WINDOW } from '../../src/account/throttle.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findUserById } from '../../src/store/users.ts';
import { postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createUser } from '../helpers/fixtures.ts';
import { outboxFor } from '../helpers/mail.ts';

describe('/account throttling', () => {
  it(`refuses the current password after ${ACCOUNT_CHANGES_PER_WINDOW} tries, even the right one`, async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (let i = 0; i < ACCOUNT_CHANGES_PER_WINDOW; i++) {
      expect((await postAccount(cookie, '/account/password', { current: `guess-${i}`, password: 'x', confirm: 'x' })).status).toBe(400);
    }
    const res = await postAccount(cookie, '/account/password', { current: user.password, password: 'a fresh correct horse', confirm: 'a fresh correct horse' });
    expect(res.status).toBe(429);
    expect(await res.text()).toContain('Too many attempts');
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'account.throttled' });
    expect(event?.detail).toBe('password');
  });

  it('limits email changes, and so the mail they send, per user', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (let i = 0; i < ACCOUNT_CHANGES_PER_WINDOW; i++) {
      expect((await postAccount(cookie, '/account/profile/email', { email: `n${i}-${user.username}@example.org` })).status).toBe(200);
    }
    const res = await postAccount(cookie, '/account/profile/email', { email: `last-${user.username}@example.org` });
    expect(res.status).toBe(429);
    expect(await outboxFor(`last-${user.username}@example.org`)).toHaveLength(0);
    expect((await findUserById(env.DB, user.id))!.email).toBe(`n${ACCOUNT_CHANGES_PER_WINDOW - 1}-${user.username}@example.org`);
  });

  it('limits deletion requests per user', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (let i = 0; i < ACCOUNT_CHANGES_PER_WINDOW; i++) expect((await postAccount(cookie, '/account/delete', { confirm: user.username })).status).toBe(200);
    expect((await postAccount(cookie, '/account/delete', { confirm: user.username })).status).toBe(429);
    expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(ACCOUNT_CHANGES_PER_WINDOW);
  });
});
