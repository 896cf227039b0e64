// The English texts of the account page, its sections and the mails it sends (the catalogue's `account` group).
// `{name}` marks where a value goes (filled with .replace by the code that names it).

export const enAccount = {
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

export type AccountMessages = typeof enAccount;
