// /account's profile section: the name, and an email change with re-verification and a notice to the old address.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findUserById } from '../../src/store/users.ts';
import { getAccount, postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createUser } from '../helpers/fixtures.ts';
import { mailedLink, outboxFor } from '../helpers/mail.ts';

describe('/account profile', () => {
  it('saves the name, audited, and says so on the page', async () => {
    const user = await createUser({ name: 'Old Name' });
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/profile/name', { name: '  Ada <b>Lovelace</b> ' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/account?done=name#profile');
    expect((await findUserById(env.DB, user.id))!.name).toBe('Ada <b>Lovelace</b>');
    const page = await (await getAccount(cookie, res.headers.get('Location')!)).text();
    expect(page).toContain('Your name was saved.');
    expect(page).toContain('value="Ada &lt;b&gt;Lovelace&lt;/b&gt;"');
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'account.name' });
    expect(event?.outcome).toBe('success');
  });

  it('clears the name when it is sent empty', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    expect((await postAccount(cookie, '/account/profile/name', { name: '' })).status).toBe(303);
    expect((await findUserById(env.DB, user.id))!.name).toBeNull();
  });

  it('refuses an oversized, missing, repeated or multi-line name and changes nothing', async () => {
    const user = await createUser({ name: 'Kept' });
    const cookie = await signInToAccountFrom(user);
    for (const body of [{ name: 'x'.repeat(201) }, {}, 'name=a&name=b', { name: 'x'.repeat(5000) }, { name: 'Ada\r\nLovelace' }, 'name=%00']) {
      const res = await postAccount(cookie, '/account/profile/name', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.text()).toContain('Enter a name of at most 200 characters');
    }
    expect((await findUserById(env.DB, user.id))!.name).toBe('Kept');
  });

  it('does not show an unknown or inherited done key', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (const done of ['constructor', '__proto__', '<script>']) {
      const page = await (await getAccount(cookie, `/account?done=${encodeURIComponent(done)}`)).text();
      expect(page).not.toContain('role="status"');
    }
  });

  it('changes the email: unverified until confirmed, a verification mail to the new address, a notice to the old', async () => {
    const user = await createUser();
    const old = `${user.username}@example.com`;
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/profile/email', { email: `new-${user.username}@example.org` });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We sent a 6-digit code');
    const stored = (await findUserById(env.DB, user.id))!;
    expect(stored.email).toBe(`new-${user.username}@example.org`);
    expect(stored.emailVerified).toBe(false);
    const [notice] = await outboxFor(old);
    expect(notice!.subject).toContain('Your email address was changed');
    expect(notice!.text).not.toContain('example.org');
    await mailedLink(old, '/email/not-me');
    const verify = await mailedLink(`new-${user.username}@example.org`, '/email/verify');
    const confirmed = await postAccount(cookie, '/email/verify', { token: verify.searchParams.get('token')! });
    expect(confirmed.status).toBe(200);
    expect((await findUserById(env.DB, user.id))!.emailVerified).toBe(true);
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'account.email' });
    expect(event?.outcome).toBe('success');
  });

  it('refuses a malformed, oversized, injected or missing address and changes nothing', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    const bad = [{ email: 'not-an-address' }, { email: `${'a'.repeat(250)}@example.com` }, { email: 'a@example.com\r\nBcc: b@example.com' }, {}, 'email=a@x.io&email=b@x.io'];
    for (const body of bad) {
      const res = await postAccount(cookie, '/account/profile/email', body);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Enter one email address');
    }
    expect((await findUserById(env.DB, user.id))!.email).toBe(`${user.username}@example.com`);
  });

  it('refuses the address it already has, verified', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/profile/email', { email: `${user.username.toUpperCase()}@example.com` });
    expect(res.status).toBe(400);
    expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(0);
  });
});
