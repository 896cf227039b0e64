// The password reset email: its texts, in one place for the message catalogue to take over.
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export const PASSWORD_RESET_TEXTS = {
  subject: 'Reset your password',
  heading: 'Reset your password',
  intro: 'Someone asked to reset the password of your account {username}. If it was you, choose a new password with the link below.',
  lifetime: 'The link works once, for {minutes} minutes.',
  action: 'Choose a new password',
  ignore: 'If you did not ask for this, ignore this email: your password stays as it is.',
  why: 'You received this email because a password reset was requested for an account with this address.',
};

export function passwordResetEmail(branding: MailBranding, username: string, url: string, minutes: number): RenderedEmail {
  const t = PASSWORD_RESET_TEXTS;
  return renderEmail(branding, {
    subject: `${t.subject} · ${branding.productName}`,
    heading: t.heading,
    paragraphs: [t.intro.replace('{username}', username), t.lifetime.replace('{minutes}', String(minutes))],
    action: { label: t.action, url },
    footer: [t.ignore, t.why],
  });
}
