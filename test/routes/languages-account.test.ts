// The account page, sign-up and the notices they mail, in German: every section and answer from the catalogue.
import { describe, expect, it } from 'vitest';
import { de } from '../../src/i18n/de.ts';
import { call, callWithEnv, createUser, ISSUER } from '../helpers/fixtures.ts';
import { postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { expectNoEnglish } from '../helpers/english.ts';
import { DEV, outboxFor } from '../helpers/mail.ts';
import { addProvider } from '../helpers/upstream.ts';

const GERMAN = { 'Accept-Language': 'de' };

describe('the account page in German', () => {
  it('words every section, and what a change did, from the catalogue', async () => {
    await addProvider('github', 'github', 'https://github.com');
    const user = await createUser({ name: 'Anna' });
    const cookie = await signInToAccountFrom(user, GERMAN);
    const res = await call('/account?done=name', { headers: { Cookie: cookie, ...GERMAN } });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const title of [de.account.profile.title, de.account.passkeys.title, de.account.linked.title, de.account.sessions.title, de.account.delete.title]) {
      expect(html).toContain(title);
    }
    expect(html).toContain(de.account.done.name);
    expectNoEnglish(html);
  });

  it('refuses a change in German, and mails the security notice in German', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user, GERMAN);
    const refused = await postAccount(cookie, '/account/password', { current: 'wrong', password: 'x', confirm: 'x' }, GERMAN);
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain(de.account.password.wrongCurrent);
    expectNoEnglish(refusedHtml);
    const next = `Neu-${crypto.randomUUID()}`;
    await postAccount(cookie, '/account/password', { current: user.password, password: next, confirm: next }, GERMAN);
    const [notice] = (await outboxFor(`${user.username}@example.com`)).filter((m) => m.subject.includes(de.account.notice.headings.password));
    expect(notice).toBeDefined();
    expectNoEnglish(notice!.html);
  });
});

describe('sign-up in German', () => {
  it('shows the form and its answer in the reader’s language', async () => {
    const env = { ...DEV, SIGNUP: 'open' } as const;
    const page = await callWithEnv(env, '/signup', { headers: GERMAN });
    const html = await page.text();
    expect(html).toContain(de.createAccount);
    expectNoEnglish(html);
    const sent = await callWithEnv(env, '/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, ...GERMAN },
      body: new URLSearchParams({ username: '', email: 'x@example.com', name: '', password: 'x' }).toString(),
    });
    const refused = await sent.text();
    expect(refused).toContain(de.chooseUsername);
    expectNoEnglish(refused);
  });
});
