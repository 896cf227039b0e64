// The email verification email: a link and a 6-digit code, its texts from the message catalogue (src/i18n/).
import type { Messages } from '../../i18n/catalogue.ts';
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export function emailVerificationEmail(t: Messages, branding: MailBranding, username: string, url: string, code: string, minutes: number): RenderedEmail {
  return renderEmail(branding, {
    lang: t.lang,
    subject: `${t.confirmEmail} · ${branding.productName}`,
    heading: t.confirmEmail,
    paragraphs: [t.verifyMailIntro(username), t.verifyMailLifetime(minutes)],
    action: { label: t.verifyMailAction, url },
    code: { label: t.verifyMailCode, value: code },
    footer: [t.verifyMailIgnore],
  });
}
