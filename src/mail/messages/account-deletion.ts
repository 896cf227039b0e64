// The account deletion email: a single-use link that confirms the deletion, in the requester's language.
import { put, type Messages } from '../../i18n/catalogue.ts';
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export function accountDeletionEmail(t: Messages, branding: MailBranding, username: string, url: string, minutes: number): RenderedEmail {
  const m = t.account.deletionMail;
  return renderEmail(branding, {
    lang: t.lang,
    subject: `${m.subject} · ${branding.productName}`,
    heading: m.subject,
    paragraphs: [put(m.intro, { username }), put(m.lifetime, { minutes })],
    action: { label: t.account.delete.submit, url },
    footer: [m.ignore],
  });
}
