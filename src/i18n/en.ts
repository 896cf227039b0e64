// The English message catalogue: every page's and email's text, and the shape (Messages) every other language fills in.
// Strings with parameters are small functions; pages escape what they return (hono/html), so no markup here.

// The account page, its sections and the mails it sends (the `account` group).
const enAccount = {
  back: 'Back to your account',
  problemTitle: 'Not changed',
  /** Where request.cf names no place (and no address was recorded); the notices use it too. */
  unknownPlace: 'unknown',
  unknownBrowserInMail: 'an unknown browser',
  browserOn: '{browser} on {system}',
  profile: {
    title: 'Profile', verified: 'verified', unverified: 'not verified yet',
    saveName: 'Save name', changeEmail: 'Change email',
    nameTooLong: 'Enter a name of at most 200 characters, on one line.',
    badEmail: 'Enter one email address (at most 254 characters).',
    sameEmail: 'That is already your email address.',
  },
  password: {
    title: 'Password',
    current: 'Current password', next: 'New password', confirm: 'New password again', submit: 'Change password',
    wrongCurrent: 'The current password is not right.',
    mismatch: 'The two new passwords are not the same.',
    signInAgain: 'Your password was changed and every session of your account was signed out. Sign in with your new password.',
  },
  sessions: {
    title: 'Sessions',
    thisDevice: 'this device', started: 'Signed in', place: 'Place', address: 'Address', unknownBrowser: 'Unknown browser',
    signOutOthers: 'Sign out all other sessions', none: 'No other sessions.',
    notFound: 'That session is not one of yours, or it has ended.',
  },
  apps: {
    title: 'Connected apps',
    none: 'No application has access to your account.',
    scopes: 'Allowed', families: 'Signed-in devices', lastUsed: 'Last access', noConsent: 'trusted application',
    revoke: 'Revoke access',
    notFound: 'That application has no access to your account.',
  },
  delete: {
    title: 'Delete account',
    lead: 'Deleting your account removes it and signs you out of every application. This cannot be undone.',
    confirm: 'Type your username to confirm', submit: 'Delete my account',
    mismatch: 'Type your username exactly to confirm.',
    noEmail: 'Your account has no email address to confirm the deletion. Ask an administrator to delete it.',
    sent: 'We have sent a link to {email}. Your account is deleted when you follow it (within 30 minutes).',
  },
  passkeys: {
    title: 'Passkeys', added: 'Added', lastUsed: 'Last used', never: 'never', synced: 'Synced', yes: 'yes',
    newName: 'New name', rename: 'Rename', none: 'No passkeys yet.', nameNew: 'Name for a new passkey (optional)',
    add: 'Add a passkey', notAdded: 'The passkey was not added. Try again.', formExpired: 'This form has expired. Try again.',
    notFoundTitle: 'Passkey not found', notFound: 'That passkey is not one of yours, or it was deleted already.',
    notAddedTitle: 'Passkey not added', keptTitle: 'Passkey kept',
    kept: 'This is the only way to sign in to your account, so it cannot be deleted.',
    deleteNamed: 'Delete {name}', defaultName: 'Passkey added {day}',
  },
  linked: {
    title: 'Linked sign-ins', since: 'since', link: 'Link {name}', unlink: 'Unlink', none: 'No sign-in is linked to this account.',
    lastTitle: 'Cannot unlink', last: 'This is your last way to sign in. Set a password or link another sign-in first.',
  },
  done: {
    name: 'Your name was saved.',
    'session-ended': 'The session was signed out.',
    'others-ended': 'Every other session was signed out.',
    'app-revoked': 'The application no longer has access to your account.',
  },
  mail: {
    notMeTitle: "This wasn't me",
    notMeLead: "Sign your account out everywhere, end every application's access, and get a link to choose a new password.",
    notMeSubmit: 'Secure my account',
    notMeDone: "Every session of your account was signed out and every application's access ended. If the account has an email address, a link to choose a new password is on its way.",
    deleteTitle: 'Delete your account',
    deleteLead: 'Your account {username} and everything it holds will be deleted. This cannot be undone.',
    deleted: 'Your account was deleted and every session and application access ended.',
    deletedTitle: 'Account deleted',
    expired: 'This link has expired or has already been used.',
  },
  // The security notices (issue 14, flow 6).
  notice: {
    headings: {
      password: 'Your password was changed',
      email: 'Your email address was changed',
      passkey: 'Your passkeys were changed',
      mfa: 'Your two-step sign-in was changed',
      'new-device': 'New sign-in to your account',
    },
    intro: 'This is a notice about your account {username}.',
    emailMoved: 'Further mail for this account goes to the new address; this address no longer receives it.',
    detail: 'Where: {detail}.',
    explain: "If this wasn't you, follow the link: it signs your account out everywhere, ends every application's access, and mails you a link to choose a new password.",
    lifetime: 'The link works once, for {days} days.',
    ok: 'If it was you, there is nothing to do.',
    why: 'You received this email because it is the address of an account where something security-related changed.',
  },
  deletionMail: {
    subject: 'Confirm deleting your account',
    intro: 'Someone signed in to your account {username} asked to delete it. Follow the link to delete it for good.',
    lifetime: 'The link works once, for {minutes} minutes.',
    ignore: 'If you did not ask for this, ignore this email: your account stays as it is. Consider changing your password.',
  },
};

// Sign-up, the finished sign-in page, passkeys, the second factor and upstream providers (spread at the top level).
const enSignIn = {
  privacy: 'Privacy', terms: 'Terms', showPassword: 'Show password',
  notYou: 'Not you?', useAnotherAccount: 'Use another account', noAccount: 'No account?', createOne: 'Create one',
  challengeRequired: 'Many sign-ins come from your network. Complete the challenge below, then sign in again.',
  signInWith: 'Sign in with {name}', signInWithPasskey: 'Sign in with a passkey', useYourPasskey: 'Use your passkey',
  passkeyNoAnswer: 'The passkey did not answer. Try again.',
  passkeyRefused: 'That passkey was not accepted. Try again, or sign in with your password.',
  passkeyFactorRefused: 'That passkey was not accepted. Try again.',
  verify: 'Verify', useRecoveryCode: 'Use a recovery code',
  // The second-factor step (MFA_POLICY) and step-up.
  twoStepTitle: 'Two-step verification', twoStepLead: 'Confirm it is you with your second factor',
  enrolTitle: 'Set up two-step verification', enrolLead: 'Add a second factor to your account',
  toContinueTo: '{lead} to continue to {client}', rememberDevice: 'Remember this device for {days} days',
  chooseMethod: 'Choose one of the methods offered.',
  twoStepUnavailable: 'Two-step verification unavailable', twoStepUnavailableText: 'No second factor can be used or set up here.',
  twoStepNeeded: 'Two-step verification needed',
  secondFactorFirst: 'This sign-in needs two-step verification. Open /account in this browser to complete it, then enter the code again.',
  // Sign-up (SIGNUP, invites, Turnstile).
  createAccount: 'Create account', signupLead: 'We send a link to confirm your email address.',
  signupSent: 'We have sent an email to the address you gave. Follow its link to confirm the address, then sign in.',
  signupClosed: 'Sign-up is closed', signupClosedText: 'New accounts are created by an administrator.',
  inviteExpired: 'Invite expired', inviteExpiredText: 'This invite link has expired or has already been used. Ask for a new one.',
  challengeFailed: 'Complete the challenge to show you are not a robot, then try again.',
  signupThrottled: 'Too many sign-ups from your network. Wait a few minutes and try again.',
  fieldTooLong: 'A field is too long.', chooseUsername: 'Choose a username.', badEmail: 'Enter a valid email address.',
  badUsername: 'Usernames are 1 to 64 letters, digits or . _ @ + - (no control, formatting or space characters).',
  badName: 'The name must be at most 200 characters, without control characters.',
  // Upstream identity providers.
  signInUnavailable: 'Sign-in unavailable', signInFailed: 'Sign-in failed', notLinked: 'Not linked',
  upstreamNotOffered: 'This way of signing in is not offered.',
  upstreamNoLonger: 'This way of signing in is no longer offered.',
  upstreamMisconfigured: 'Signing in with {name} is misconfigured.',
  upstreamDown: 'Signing in with {name} is not possible right now. Please try again in a minute.',
  upstreamRejected: 'The answer from {name} did not pass our checks. Start again from the application.',
  upstreamExpired: 'This sign-in was not started in this browser, was already used, or has expired. Start again from the application.',
  upstreamTooLarge: 'This sign-in request is too large to continue.',
  tooManyAttemptsTitle: 'Too many attempts',
  upstreamCancelled: 'Signing in with {name} was cancelled or refused. Try again, or sign in another way.',
  upstreamRefusals: {
    domain: 'This account is not from a domain allowed to sign in here.',
    disabled: 'This account is disabled.',
    email_in_use: 'An account with this email address already exists. Sign in to it, then link this sign-in on your account page.',
    signup_closed: 'No account is linked to this sign-in, and new accounts cannot be created here.',
    linked_elsewhere: 'This sign-in is already linked to another account.',
  },
  // Emails: the invite, and the notice to an owner whose details someone tried to sign up with.
  invite: {
    subject: 'You are invited',
    intro: 'You are invited to create an account for {email}.',
    lifetime: 'The link works once, for {days} days.',
    action: 'Create your account',
    ignore: 'If you did not expect this, ignore this email: no account is created.',
  },
  signupTaken: {
    subject: 'Someone tried to sign up with your details',
    heading: 'Someone tried to sign up',
    intro: 'Someone tried to create an account with your {what}. Your account {username} already has it, so no account was created.',
    username: 'username',
    email: 'email address',
    action: 'Forgot your password?',
    ignore: 'If it was you, sign in with your existing account instead. If not, ignore this email: nothing changed.',
  },
};

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
