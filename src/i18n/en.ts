// The English message catalogue: every page's and email's text, and the shape (Messages) every other language fills in.
// Strings with parameters are small functions; pages escape what they return (hono/html), so no markup here.
import { enAccount } from './en-account.ts';
import { enSignIn } from './en-signin.ts';

export const en = {
  /** The BCP 47 tag of this catalogue: <html lang>, Content-Language. */
  lang: 'en',
  ...enSignIn,
  account: enAccount,

  // Shared words.
  allow: 'Allow', deny: 'Deny', code: 'Code', confirm: 'Confirm', continue: 'Continue', cancel: 'Cancel',
  username: 'Username', password: 'Password', name: 'Name', email: 'Email',
  signedInAs: (username: string) => `Signed in as ${username}`,
  tooManyAttempts: 'Too many attempts. Wait a few minutes and try again.',

  // The error page and what it says.
  errorBack: 'Go back to the application you came from and try again.',
  requestId: (id: string) => `Request id: ${id}`,
  unavailable: 'Temporarily unavailable',
  unavailableText: 'The sign-in service cannot reach its storage right now. Please try again in a moment.',
  failed: 'Something went wrong',
  failedText: 'The sign-in service hit an unexpected error. Please try again in a moment.',
  invalidRequest: 'Invalid request', invalidLogout: 'Invalid logout request',
  clientGone: 'The application is no longer registered.',
  logoutNotPost: 'The logout request must be a form post.',
  signInExpired: 'Sign-in expired', requestExpired: 'Request expired', formExpired: 'Form expired',
  linkExpired: 'Link expired', codeExpired: 'Code expired',
  signInFormExpired: 'This sign-in form has expired or was altered.',
  consentFormExpired: 'This consent form has expired or was altered.',
  signOutFormExpired: 'This sign-out form has expired or was altered.',
  formAltered: 'This form has expired or was altered.',
  emailFormExpired: 'This form has expired or was altered. Ask for a new email.',
  formUsed: 'This form has expired or was already used. Sign in again.',
  linkUsed: 'This link has expired or has already been used. Ask for a new one.',

  // Sign-in.
  signIn: 'Sign in',
  signInTo: (client: string) => `to continue to ${client}`,
  forgotPassword: 'Forgot password?',
  invalidCredentials: 'Invalid username or password.',
  tooManySignIns: 'Too many sign-in attempts. Wait a few minutes and try again.',
  otherAccountExpected: 'This application asked for a different account. Sign in with the account you used there before.',
  accountDisabled: 'This account is disabled.',
  signInAgain: 'Your password was changed. Sign in with your new password to continue.',

  // Consent and the scopes it lists (OIDC Core §5.4).
  allowAccess: 'Allow access', allowAccessQ: 'Allow access?',
  wantsTo: (client: string) => `${client} wants to:`,
  fromHost: (host: string) => `from ${host}`,
  scopes: {
    openid: 'Know who you are (your account identifier)',
    profile: 'See your name, your username and when your profile last changed',
    email: 'See your email address and whether it is verified',
    offline_access: 'Stay signed in to it when you are not using it',
  },

  // The device flow (RFC 8628 §3.3).
  connectDevice: 'Connect a device', enterDeviceCode: 'Enter the code shown on your device.',
  allowDevice: 'Allow device', allowClient: (client: string) => `Allow ${client}?`,
  deviceWantsTo: (code: string) => `A device showing the code ${code} wants to:`,
  ownDeviceOnly: (username: string) => `Signed in as ${username}. Only allow it if you started this on your own device.`,
  deviceConnected: 'Device connected', requestDenied: 'Request denied',
  deviceContinues: 'You can return to your device; it will continue by itself.',
  deviceRefused: 'The device was not given access.',
  deviceCodeInvalid: 'That code is not valid or has expired. Check the code on your device.',
  sessionChanged: 'Your session changed; enter the code again.',

  // Sign-out (RP-Initiated Logout).
  signOut: 'Sign out', signOutQ: 'Sign out?', staySignedIn: 'Stay signed in',
  clientSignsOut: (client: string, product: string) => `${client} asks to sign you out of ${product}.`,
  signOutOf: (product: string) => `Sign out of ${product}?`,
  signedOut: 'Signed out', stillSignedIn: 'Still signed in',
  youAreSignedOut: 'You are signed out', youAreStillSignedIn: 'You are still signed in',
  closeWindow: 'You can close this window.',

  // Passwords: forgot, reset, change.
  forgotTitle: 'Forgot password', usernameOrEmail: 'Username or email', sendResetLink: 'Send reset link',
  forgotLead: 'Enter your username or email address. If an account matches, we send a link to choose a new password.',
  enterIdentifier: 'Enter your username or email address.',
  tooManyRequests: 'Too many requests. Wait a few minutes and try again.',
  checkEmail: 'Check your email',
  resetSent: 'If an account matches, we have sent a link to its email address. It works once, for 30 minutes.',
  chooseNewPassword: 'Choose a new password', newPassword: 'New password', repeatPassword: 'Repeat the new password',
  setNewPassword: 'Set new password',
  resetLead: (username: string) => `For your account ${username}. Every session of the account will be signed out.`,
  changeLead: 'Your account needs a new password before you continue.',
  passwordsDiffer: 'The two passwords are not the same.',
  weakPassword: (problem: string) => `Choose another password: the ${problem}.`,
  // Why the password policy (src/policy/password.ts) refuses one; each gets the number or name its rule names.
  passwordRules: {
    short: (min: string) => `password must be at least ${min} characters long`,
    long: (max: string) => `password must be at most ${max} characters long`,
    common: () => 'password is one of the most commonly used passwords (ignoring case, digits for letters and trailing digits or symbols)',
    repetitive: () => 'password must not repeat a short pattern (like "aaaaaaaa" or "abababab")',
    sequential: () => 'password must not be only sequences or runs of characters (like "12345678", "abcdefgh", "qwertyui" or "aaaa1111")',
    username: () => 'password must not be based on the username',
    service: (name: string) => `password must not be based on the service name "${name}"`,
  },
  passwordChanged: 'Password changed',
  passwordChangedText: 'Your password was changed, and every session of your account was signed out.',
  backToApp: 'Back to the application',

  // Email verification pages.
  confirmEmail: 'Confirm your email address', confirmEmailLead: 'Confirm that this address belongs to your account.',
  enterCode: 'Enter the code',
  codeSent: (email: string) => `We sent a 6-digit code to ${email}. Enter it here, or follow the link in the email.`,
  emailConfirmed: 'Email address confirmed', emailConfirmedText: 'Thank you: your email address is confirmed.',
  codeThrottled: 'Too many attempts. Wait a few minutes, or follow the link in the email.',
  codeWrong: 'That code is not right, or it has expired.',

  // The account page and its two-step sign-in section.
  yourAccount: 'Your account', profile: 'Profile', twoStep: 'Two-step sign-in', on: 'on', off: 'off',
  authAppOff: (off: string) => `Authenticator app: ${off}`,
  authAppOn: (on: string, day: string) => `Authenticator app: ${on} since ${day}`,
  setUpAuthApp: 'Set up an authenticator app', turnOffAuthApp: 'Turn off the authenticator app',
  recoveryLeft: (left: string, total: string) => `Recovery codes: ${left} of ${total} unused`,
  makeNewCodes: 'Make new recovery codes', backToAccount: 'Back to your account',

  // TOTP and recovery codes (RFC 6238).
  scanCode: 'Scan this code with an authenticator app, or type the key into it.',
  qrLabel: 'QR code of the authenticator key', totpKey: (key: string) => `Key: ${key}`,
  thenTypeCode: 'Then type the code the app shows.', turnOn: 'Turn on',
  authAppCode: 'Code from your authenticator app', recoveryCode: 'Recovery code',
  saveCodes: 'Save these recovery codes somewhere safe. Each works once, in place of your authenticator, and they are not shown again.',
  authAppTurnedOn: 'Authenticator app on', newRecoveryCodes: 'New recovery codes', yourRecoveryCodes: 'Your recovery codes',
  wrongTotp: 'That code is not right. Type the newest code your authenticator app shows.',
  wrongRecoveryCode: 'That recovery code is not right, or was used already.',
  recoveryCodeUsed: 'Recovery code used',
  codesRemain: (left: number) => (left === 1 ? '1 recovery code remains.' : `${left} recovery codes remain.`),
  makeNewCodesHint: 'Make new ones on your account page.',

  // Emails: the password reset.
  resetMailSubject: 'Reset your password',
  resetMailIntro: (username: string) => `Someone asked to reset the password of your account ${username}. If it was you, choose a new password with the link below.`,
  resetMailLifetime: (minutes: number) => `The link works once, for ${minutes} minutes.`,
  resetMailAction: 'Choose a new password',
  resetMailIgnore: 'If you did not ask for this, ignore this email: your password stays as it is.',
  resetMailWhy: 'You received this email because a password reset was requested for an account with this address.',
  // Emails: the address verification (the subject and heading are confirmEmail).
  verifyMailIntro: (username: string) => `Confirm that this address belongs to your account ${username}.`,
  verifyMailLifetime: (minutes: number) => `The link and the code work once, for ${minutes} minutes.`,
  verifyMailAction: 'Confirm this address', verifyMailCode: 'Or enter this code:',
  verifyMailIgnore: 'If you did not ask for this, ignore this email: the address stays unconfirmed.',
};

/** Every language's shape: the English keys, each string a string and each function the same function. */
export type Messages = typeof en;
