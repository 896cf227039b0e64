// The English texts of sign-up, the finished sign-in page, passkeys, the second factor and upstream providers.
// Spread into the catalogue's top level (en.ts); `{name}` marks where a value goes.

export const enSignIn = {
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

export type SignInMessages = typeof enSignIn;
