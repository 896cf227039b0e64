// The sign-up emails: an invite, and the notice to an owner whose username or address someone tried to sign up with.
import { put, type Messages } from '../../i18n/catalogue.ts';
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export function inviteEmail(t: Messages, branding: MailBranding, email: string, url: string, days: number): RenderedEmail {
  const m = t.invite;
  return renderEmail(branding, {
    lang: t.lang,
    subject: `${m.subject} · ${branding.productName}`,
    heading: m.subject,
    paragraphs: [put(m.intro, { email }), put(m.lifetime, { days })],
    action: { label: m.action, url },
    footer: [m.ignore],
  });
}

export function signupTakenEmail(t: Messages, branding: MailBranding, username: string, what: 'username' | 'email', forgotUrl: string): RenderedEmail {
  const m = t.signupTaken;
  return renderEmail(branding, {
    lang: t.lang,
    subject: `${m.subject} · ${branding.productName}`,
    heading: m.heading,
    paragraphs: [put(m.intro, { what: m[what], username })],
    action: { label: m.action, url: forgotUrl },
    footer: [m.ignore],
  });
}
