// The email verification email: a link and a 6-digit code; its texts in one place for the message catalogue.
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export const EMAIL_VERIFICATION_TEXTS = {
  subject: 'Confirm your email address',
  heading: 'Confirm your email address',
  intro: 'Confirm that this address belongs to your account {username}.',
  lifetime: 'The link and the code work once, for {minutes} minutes.',
  action: 'Confirm this address',
  code: 'Or enter this code:',
  ignore: 'If you did not ask for this, ignore this email: the address stays unconfirmed.',
};

export function emailVerificationEmail(branding: MailBranding, username: string, url: string, code: string, minutes: number): RenderedEmail {
  const t = EMAIL_VERIFICATION_TEXTS;
  return renderEmail(branding, {
    subject: `${t.subject} · ${branding.productName}`,
    heading: t.heading,
    paragraphs: [t.intro.replace('{username}', username), t.lifetime.replace('{minutes}', String(minutes))],
    action: { label: t.action, url },
    code: { label: t.code, value: code },
    footer: [t.ignore],
  });
}
