// Every page and email rendered in German holds no English: the catalogue's texts and no literal left in a template.
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { de } from '../../src/i18n/de.ts';
import { en } from '../../src/i18n/en.ts';
import { emailVerificationEmail } from '../../src/mail/messages/email-verification.ts';
import { passwordResetEmail } from '../../src/mail/messages/password-reset.ts';
import { AccountPage } from '../../src/ui/account.ts';
import { ConsentPage } from '../../src/ui/consent.ts';
import { DeviceApprovePage, DeviceCodePage, DeviceDonePage } from '../../src/ui/device.ts';
import { ConfirmEmailPage, VerifyCodePage } from '../../src/ui/email-verify.ts';
import { ErrorPage } from '../../src/ui/error.ts';
import { LoginPage } from '../../src/ui/login.ts';
import { LogoutConfirmPage, SignedOutPage } from '../../src/ui/logout.ts';
import { ForgotPasswordPage, NewPasswordPage, NoticePage } from '../../src/ui/password.ts';
import { RecoveryCodeField, RecoveryCodesPage, TotpCodeField, TotpEnrolmentPage } from '../../src/ui/totp.ts';

const t = de;
const base = { branding: { productName: 'Beispiel', logoUrl: null, accentColor: '#0b57d0' }, t };
const URI = 'otpauth://totp/Beispiel:anna?secret=GEZDGNBVGY3TQOJQ&issuer=Beispiel';

/** Every page and email in main, rendered with German texts and German sample values. */
const RENDERED: Record<string, () => string | Promise<string>> = {
  login: async () => String(await LoginPage({ ...base, clientName: 'Karte', transaction: 'tx', username: 'anna', error: t.invalidCredentials, notice: t.signInAgain })),
  'device login': async () => String(await LoginPage({ ...base, clientName: 'Karte', transaction: 'tx', username: '', error: null, action: '/device/login' })),
  consent: async () => String(await ConsentPage({ ...base, clientName: 'Karte', clientHost: 'karte.example', username: 'anna', scopes: ['openid', 'profile', 'email', 'offline_access'], transaction: 'tx' })),
  'device code': async () => String(await DeviceCodePage({ ...base, userCode: 'ABCD', error: t.deviceCodeInvalid })),
  'device approve': async () => String(await DeviceApprovePage({ ...base, clientName: 'Karte', userCode: 'ABCD-EFGH', username: 'anna', scopes: ['openid'], transaction: 'tx' })),
  'device done': async () => String(await DeviceDonePage({ ...base, approved: true })) + String(await DeviceDonePage({ ...base, approved: false })),
  error: async () => String(await ErrorPage({ ...base, title: t.linkExpired, message: t.linkUsed, requestId: 'abc' })),
  'logout confirm': async () => String(await LogoutConfirmPage({ ...base, clientName: 'Karte', transaction: 'tx' })) + String(await LogoutConfirmPage({ ...base, clientName: null, transaction: 'tx' })),
  'signed out': async () => String(await SignedOutPage({ ...base, signedOut: true })) + String(await SignedOutPage({ ...base, signedOut: false })),
  'forgot password': async () => String(await ForgotPasswordPage({ ...base, transaction: 'tx', identifier: 'anna', error: t.enterIdentifier })),
  'new password': async () => String(await NewPasswordPage({ ...base, username: 'anna', error: t.passwordsDiffer, action: '/password/reset', hidden: { name: 'token', value: 'x' }, heading: t.chooseNewPassword, lead: t.resetLead('anna') })),
  notice: async () => String(await NoticePage({ ...base, title: t.passwordChanged, message: t.passwordChangedText, link: { label: t.backToApp, href: 'https://karte.example' } })),
  'confirm email': async () => String(await ConfirmEmailPage({ ...base, token: 'x' })),
  'verify code': async () => String(await VerifyCodePage({ ...base, envelope: 'x', email: 'anna@beispiel.example', error: t.codeWrong })),
  'totp enrolment': async () => String(await TotpEnrolmentPage({ ...base, uri: URI, secretText: 'GEZDGNBVGY3TQOJQ', envelope: 'x', error: t.wrongTotp })),
  'recovery codes': async () => String(await RecoveryCodesPage({ ...base, title: t.newRecoveryCodes, codes: ['aaaa-bbbb'] })),
  'second-factor fields': async () => String(await TotpCodeField(t, null)) + String(await RecoveryCodeField(t)),
  account: async () => String(await AccountPage({ ...base, username: 'anna', sections: [{ id: 'profile', title: t.profile, body: html`<p>anna</p>` }] })),
  'reset email': () => Object.values(passwordResetEmail(t, base.branding, 'anna', 'https://id.example/r', 30)).join('\n'),
  'verification email': () => Object.values(emailVerificationEmail(t, base.branding, 'anna', 'https://id.example/v', '123456', 30)).join('\n'),
};

// English that must not survive: every English text the German one replaces, and English's commonest words.
const ENGLISH_TEXTS = Object.entries(en)
  .filter(([k, v]) => typeof v === 'string' && v !== (de as Record<string, unknown>)[k] && v.length > 3)
  .map(([, v]) => v as string);
const ENGLISH_WORDS = /\b(the|your|you|and|to|of|is|this|with|sign|password|account|code from)\b/i;

const visibleText = (page: string) => page.replace(/<style[^]*?<\/style>|<svg[^]*?<\/svg>/g, ' ').replace(/<[^>]*>/g, ' ').replace(/&#39;/g, "'");

describe.each(Object.keys(RENDERED))('the %s rendered in German', (name) => {
  it('has no English text left', async () => {
    const page = await RENDERED[name]!();
    const text = visibleText(page);
    expect(ENGLISH_TEXTS.filter((s) => text.includes(s))).toEqual([]);
    expect(text.split(/\n|\s{2,}/).filter((line) => ENGLISH_WORDS.test(line))).toEqual([]);
    if (page.includes('<html')) expect(page).toMatch(/<html lang="de">/);
  });
});
