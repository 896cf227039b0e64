// The password reset email, its texts from the message catalogue (src/i18n/) in the requester's language.
import type { Messages } from '../../i18n/catalogue.ts';
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export function passwordResetEmail(t: Messages, branding: MailBranding, username: string, url: string, minutes: number): RenderedEmail {
  return renderEmail(branding, {
    lang: t.lang,
    subject: `${t.resetMailSubject} · ${branding.productName}`,
    heading: t.resetMailSubject,
    paragraphs: [t.resetMailIntro(username), t.resetMailLifetime(minutes)],
    action: { label: t.resetMailAction, url },
    footer: [t.resetMailIgnore, t.resetMailWhy],
  });
}
