// The pages' language (issue 14 §5): ui_locales over Accept-Language over English; the journey and its mail keep it.
import { describe, expect, it } from 'vitest';
import { de } from '../../src/i18n/de.ts';
import { en } from '../../src/i18n/en.ts';
import { authorizeUrl, call, callWithEnv, createClient, createUser, form, hiddenTx, ISSUER, postLogin } from '../helpers/fixtures.ts';
import { isConsentPage, isLoginPage } from '../helpers/flow.ts';
import { DEV, mailedLink, outboxFor } from '../helpers/mail.ts';

const lang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const authorize = (client: { clientId: string; redirectUri: string; secret: string | null }, params: Record<string, string>, acceptLanguage?: string) =>
  call(authorizeUrl(client, params), acceptLanguage ? { headers: { 'Accept-Language': acceptLanguage } } : {});

describe('the sign-in page language', () => {
  it('follows Accept-Language, says so in <html lang> and Content-Language, and varies on the header', async () => {
    const res = await authorize(await createClient(), {}, 'de-CH, en;q=0.5');
    const html = await res.text();
    expect(isLoginPage(html)).toBe(true);
    expect(lang(html)).toBe('de');
    expect(html).toContain(`<h1>${de.signIn}</h1>`);
    expect(html).toContain(de.forgotPassword);
    expect(res.headers.get('Content-Language')).toBe('de');
    expect(res.headers.get('Vary')).toMatch(/Accept-Language/);
  });

  it('weighs Accept-Language by q-value', async () => {
    const client = await createClient();
    expect(lang(await (await authorize(client, {}, 'en;q=0.3, de;q=0.8')).text())).toBe('de');
    expect(lang(await (await authorize(client, {}, 'de;q=0.3, en;q=0.8')).text())).toBe('en');
  });

  it('is English for an unknown language or none, with Content-Language en', async () => {
    const client = await createClient();
    for (const header of ['fr-FR, ja;q=0.9', undefined]) {
      const res = await authorize(client, {}, header);
      const html = await res.text();
      expect(lang(html)).toBe('en');
      expect(html).toContain(`<h1>${en.signIn}</h1>`);
      expect(res.headers.get('Content-Language')).toBe('en');
      expect(res.headers.get('Vary')).toMatch(/Accept-Language/);
    }
  });

  it('takes ui_locales over Accept-Language, in the order ui_locales gives, and then does not vary on the header', async () => {
    const client = await createClient();
    const res = await authorize(client, { ui_locales: 'fr de en' }, 'en');
    expect(lang(await res.text())).toBe('de');
    expect(res.headers.get('Content-Language')).toBe('de');
    expect(res.headers.get('Vary') ?? '').not.toMatch(/Accept-Language/);
    // ui_locales naming nothing shipped leaves the choice to Accept-Language.
    expect(lang(await (await authorize(client, { ui_locales: 'fr ja' }, 'de')).text())).toBe('de');
    expect(lang(await (await authorize(client, { ui_locales: 'en' }, 'de')).text())).toBe('en');
  });

  it('keeps the ui_locales language on every page of the journey (the transaction carries it)', async () => {
    const [client, user] = await Promise.all([createClient({ firstParty: false }), createUser()]);
    const tx = hiddenTx(await (await authorize(client, { ui_locales: 'de' })).text());
    const refused = await postLogin(tx, user.username, 'wrong', { 'Accept-Language': 'en' });
    const refusedHtml = await refused.text();
    expect(lang(refusedHtml)).toBe('de');
    expect(refusedHtml).toContain(de.invalidCredentials);
    const consent = await postLogin(hiddenTx(refusedHtml), user.username, user.password, { 'Accept-Language': 'en' });
    const consentHtml = await consent.text();
    expect(isConsentPage(consentHtml)).toBe(true);
    expect(lang(consentHtml)).toBe('de');
    expect(consentHtml).toContain(de.scopes.openid);
    expect(consent.headers.get('Content-Language')).toBe('de');
  });

  it('answers the error page before the client is trusted in the header language', async () => {
    const res = await call('/authorize?client_id=nobody&response_type=code', { headers: { 'Accept-Language': 'de' } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(lang(html)).toBe('de');
    expect(html).toContain(de.invalidRequest);
    expect(html).toContain(de.errorBack);
  });
});

describe('discovery', () => {
  it('lists the shipped languages in ui_locales_supported', async () => {
    const meta = await (await call('/.well-known/openid-configuration')).json<Record<string, unknown>>();
    expect(meta.ui_locales_supported).toEqual(['en', 'de']);
  });

  it('is JSON with no Content-Language', async () => {
    const res = await call('/.well-known/openid-configuration', { headers: { 'Accept-Language': 'de' } });
    expect(res.headers.get('Content-Language')).toBeNull();
  });
});

describe('the language of mail', () => {
  it('is the journey’s: a reset asked from a ui_locales=de sign-in is mailed in German', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const tx = hiddenTx(await (await authorize(client, { ui_locales: 'de' })).text());
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'Accept-Language': 'en' },
      body: new URLSearchParams({ tx, identifier: user.username }).toString(),
    };
    const sent = await callWithEnv(DEV, '/password/forgot', init);
    expect(lang(await sent.text())).toBe('de');
    const [mail] = await outboxFor(`${user.username}@example.com`);
    expect(mail!.subject).toContain(de.resetMailSubject);
    expect(lang(mail!.html)).toBe('de');
    expect(mail!.text).toContain(de.resetMailIntro(user.username));
    expect(mail!.text).not.toContain(en.resetMailIgnore);
  });

  it('follows Accept-Language when no journey chose one', async () => {
    const user = await createUser();
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'Accept-Language': 'de-AT' },
      body: new URLSearchParams({ identifier: user.username }).toString(),
    };
    await callWithEnv(DEV, '/password/forgot', init);
    const [mail] = await outboxFor(`${user.username}@example.com`);
    expect(mail!.subject).toContain(de.resetMailSubject);
  });
});

describe('the password pages', () => {
  it('word a refused password in the reader’s language', async () => {
    const user = await createUser();
    const post = (path: string, body: Record<string, string>) => callWithEnv(DEV, path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'Accept-Language': 'de' },
      body: new URLSearchParams(body).toString(),
    });
    await post('/password/forgot', { identifier: user.username });
    const token = (await mailedLink(`${user.username}@example.com`, '/password/reset')).searchParams.get('token')!;
    const weak = await post('/password/reset', { token, password: 'password1', confirm: 'password1' });
    const html = await weak.text();
    expect(lang(html)).toBe('de');
    expect(html).toContain(de.passwordRules.common());
    expect(html).not.toContain(en.passwordRules.common());
  });
});

describe('the logout pages', () => {
  it('speak the ui_locales language of the logout request', async () => {
    const res = await form('/logout', { ui_locales: 'de' }, { 'Accept-Language': 'en' });
    const html = await res.text();
    expect(lang(html)).toBe('de');
    expect(html).toContain(de.youAreSignedOut);
  });
});
