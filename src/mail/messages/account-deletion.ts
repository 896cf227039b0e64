// The account deletion email: a single-use link that confirms the deletion; its texts in one place.
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export const ACCOUNT_DELETION_TEXTS = {
  subject: 'Confirm deleting your account',
  heading: 'Confirm deleting your account',
  intro: 'Someone signed in to your account {username} asked to delete it. Follow the link to delete it for good.',
  lifetime: 'The link works once, for {minutes} minutes.',
  action: 'Delete my account',
  ignore: 'If you did not ask for this, ignore this email: your account stays as it is. Consider changing your password.',
};

export function accountDeletionEmail(branding: MailBranding, username: string, url: string, minutes: number): RenderedEmail {
  const t = ACCOUNT_DELETION_TEXTS;
  return renderEmail(branding, {
    subject: `${t.subject} · ${branding.productName}`,
    heading: t.heading,
    paragraphs: [t.intro.replace('{username}', username), t.lifetime.replace('{minutes}', String(minutes))],
    action: { label: t.action, url },
    footer: [t.ignore],
  });
}
