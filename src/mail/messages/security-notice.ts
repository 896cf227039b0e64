// The security notices (issue 14, flow 6): what changed, where, and a "this wasn't me" link; texts in one place.
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export type SecurityNoticeKind = 'password' | 'email' | 'passkey' | 'mfa' | 'new-device';

export const SECURITY_NOTICE_TEXTS = {
  headings: {
    password: 'Your password was changed',
    email: 'Your email address was changed',
    passkey: 'Your passkeys were changed',
    mfa: 'Your two-step sign-in was changed',
    'new-device': 'New sign-in to your account',
  } satisfies Record<SecurityNoticeKind, string>,
  intro: 'This is a notice about your account {username}.',
  emailMoved: 'Further mail for this account goes to the new address; this address no longer receives it.',
  detail: 'Where: {detail}.',
  action: "This wasn't me",
  explain: "If this wasn't you, follow the link: it signs your account out everywhere, ends every application's access, and mails you a link to choose a new password.",
  lifetime: 'The link works once, for {days} days.',
  ok: 'If it was you, there is nothing to do.',
  why: 'You received this email because it is the address of an account where something security-related changed.',
};

export interface SecurityNoticeContent {
  username: string;
  kind: SecurityNoticeKind;
  /** Where it happened, when known: "Firefox on Linux, Paris, FR (203.0.113.7)". */
  detail: string | null;
  url: string;
  days: number;
}

export function securityNoticeEmail(branding: MailBranding, n: SecurityNoticeContent): RenderedEmail {
  const t = SECURITY_NOTICE_TEXTS;
  const heading = t.headings[n.kind];
  return renderEmail(branding, {
    subject: `${heading} · ${branding.productName}`,
    heading,
    paragraphs: [
      t.intro.replace('{username}', n.username),
      ...(n.kind === 'email' ? [t.emailMoved] : []),
      ...(n.detail ? [t.detail.replace('{detail}', n.detail)] : []),
      t.explain,
    ],
    action: { label: t.action, url: n.url },
    footer: [t.ok, t.lifetime.replace('{days}', String(n.days)), t.why],
  });
}
