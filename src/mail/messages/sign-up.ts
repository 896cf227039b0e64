// The sign-up emails: an invite, and the notice to an owner whose username or address someone tried to sign up with.
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export const INVITE_TEXTS = {
  subject: 'You are invited',
  heading: 'You are invited',
  intro: 'You are invited to create an account for {email}.',
  lifetime: 'The link works once, for {days} days.',
  action: 'Create your account',
  ignore: 'If you did not expect this, ignore this email: no account is created.',
};

export const SIGNUP_TAKEN_TEXTS = {
  subject: 'Someone tried to sign up with your details',
  heading: 'Someone tried to sign up',
  intro: 'Someone tried to create an account with your {what}. Your account {username} already has it, so no account was created.',
  username: 'username',
  email: 'email address',
  action: 'Forgot your password?',
  ignore: 'If it was you, sign in with your existing account instead. If not, ignore this email: nothing changed.',
};

export function inviteEmail(branding: MailBranding, email: string, url: string, days: number): RenderedEmail {
  const t = INVITE_TEXTS;
  return renderEmail(branding, {
    subject: `${t.subject} · ${branding.productName}`,
    heading: t.heading,
    paragraphs: [t.intro.replace('{email}', email), t.lifetime.replace('{days}', String(days))],
    action: { label: t.action, url },
    footer: [t.ignore],
  });
}

export function signupTakenEmail(branding: MailBranding, username: string, what: 'username' | 'email', forgotUrl: string): RenderedEmail {
  const t = SIGNUP_TAKEN_TEXTS;
  return renderEmail(branding, {
    subject: `${t.subject} · ${branding.productName}`,
    heading: t.heading,
    paragraphs: [t.intro.replace('{what}', t[what]).replace('{username}', username)],
    action: { label: t.action, url: forgotUrl },
    footer: [t.ignore],
  });
}
