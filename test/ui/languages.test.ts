// Every page and email rendered in German holds no English: the catalogue's texts and no literal left in a template.
import { html } from 'hono/html';
import { describe, it } from 'vitest';
import { de } from '../../src/i18n/de.ts';
import { put } from '../../src/i18n/catalogue.ts';
import { accountDeletionEmail } from '../../src/mail/messages/account-deletion.ts';
import { securityNoticeEmail } from '../../src/mail/messages/security-notice.ts';
import { inviteEmail, signupTakenEmail } from '../../src/mail/messages/sign-up.ts';
import { emailVerificationEmail } from '../../src/mail/messages/email-verification.ts';
import { passwordResetEmail } from '../../src/mail/messages/password-reset.ts';
import { AccountPage } from '../../src/ui/account.ts';
import { ConsentPage } from '../../src/ui/consent.ts';
import { DeviceApprovePage, DeviceCodePage, DeviceDonePage } from '../../src/ui/device.ts';
import { ConfirmEmailPage, VerifyCodePage } from '../../src/ui/email-verify.ts';
import { ErrorPage } from '../../src/ui/error.ts';
import { LinkConfirmPage } from '../../src/ui/link-confirm.ts';
import { LoginPage } from '../../src/ui/login.ts';
import { LogoutConfirmPage, SignedOutPage } from '../../src/ui/logout.ts';
import { PasskeyList } from '../../src/ui/passkeys.ts';
import { ForgotPasswordPage, NewPasswordPage, NoticePage } from '../../src/ui/password.ts';
import { InterstitialPage, SecondFactorPage } from '../../src/ui/second-factor.ts';
import { SignupPage } from '../../src/ui/signup.ts';
import { RecoveryCodeField, RecoveryCodesPage, TotpCodeField, TotpEnrolmentPage } from '../../src/ui/totp.ts';
import { WebAuthnFields } from '../../src/ui/webauthn.ts';
import { expectNoEnglish } from '../helpers/english.ts';

const t = de;
const base = { branding: { productName: 'Beispiel', logoUrl: null, accentColor: '#0b57d0', policyUri: 'https://beispiel.example/p', tosUri: 'https://beispiel.example/t' }, t };
const PASSKEY = { challenge: 'c', sealed: 's', rpId: 'id.example' };
const getFields = WebAuthnFields({ mode: 'get', challenge: 'c', rpId: 'id.example', label: t.useYourPasskey, failed: t.passkeyNoAnswer, credentialIds: [] });
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
  'finished login': async () => String(await LoginPage({ ...base, clientName: 'Karte', transaction: 'tx', username: 'anna', error: t.challengeRequired, signupOpen: true, hinted: true, turnstileSiteKey: 'k', passkey: PASSKEY, providers: ['github'] })),
  'sign-up': async () => String(await SignupPage({ ...base, invite: { token: 'x', email: 'anna@beispiel.example' }, values: { username: 'anna', email: '', name: '' }, error: t.badUsername, turnstileSiteKey: 'k' })),
  'second factor': async () => String(await SecondFactorPage({ ...base, clientName: 'Karte', mode: 'verify', factors: [{ name: 'totp', body: TotpCodeField(t, t.wrongTotp) }, { name: 'passkey', body: getFields }, { name: 'recovery', body: RecoveryCodeField(t) }], transaction: 'tx', error: t.passkeyFactorRefused, rememberDays: 30 })),
  'second-factor enrolment': async () => String(await SecondFactorPage({ ...base, clientName: 'Karte', mode: 'enrol', factors: [], transaction: 'tx', error: t.chooseMethod, rememberDays: 0 })),
  'recovery codes interstitial': async () => String(await InterstitialPage({ ...base, interstitial: { title: t.newRecoveryCodes, message: t.saveCodes, codes: ['aaaa-bbbb'] }, transaction: 'tx' })),
  'account passkeys': async () => String(await PasskeyList({ t, passkeys: [{ id: 'p', nickname: 'Laptop', createdAt: 0, lastUsedAt: null, backedUp: true }], add: getFields, challenge: 'c' })) + String(await PasskeyList({ t, passkeys: [], add: getFields, challenge: 'c' })),
  'upstream error': async () => String(await ErrorPage({ ...base, title: t.signInUnavailable, message: put(t.upstreamDown, { name: 'Github' }), requestId: 'abc' })) + String(await ErrorPage({ ...base, title: t.signInFailed, message: t.upstreamRefusals.email_in_use, requestId: 'abc' })),
  'account mail link': async () => String(await LinkConfirmPage({ ...base, title: t.account.mail.notMeTitle, lead: t.account.mail.notMeLead, action: '/email/not-me', token: 'x', submit: t.account.mail.notMeSubmit })),
  'reset email': () => Object.values(passwordResetEmail(t, base.branding, 'anna', 'https://id.example/r', 30)).join('\n'),
  'invite email': () => Object.values(inviteEmail(t, base.branding, 'anna@beispiel.example', 'https://id.example/s', 7)).join('\n'),
  'someone-tried email': () => Object.values(signupTakenEmail(t, base.branding, 'anna', 'username', 'https://id.example/f')).join('\n') + Object.values(signupTakenEmail(t, base.branding, 'anna', 'email', 'https://id.example/f')).join('\n'),
  'account deletion email': () => Object.values(accountDeletionEmail(t, base.branding, 'anna', 'https://id.example/d', 30)).join('\n'),
  ...Object.fromEntries((['password', 'email', 'passkey', 'mfa', 'new-device'] as const).map((kind) => [`${kind} notice email`,
    () => Object.values(securityNoticeEmail(t, base.branding, { username: 'anna', kind, detail: 'Firefox, Berlin, DE', url: 'https://id.example/n', days: 7 })).join('\n')])),
  'verification email': () => Object.values(emailVerificationEmail(t, base.branding, 'anna', 'https://id.example/v', '123456', 30)).join('\n'),
};

describe.each(Object.keys(RENDERED))('the %s rendered in German', (name) => {
  it('has no English text left', async () => {
    expectNoEnglish(await RENDERED[name]!());
  });
});
