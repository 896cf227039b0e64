// The security notices (issue 14, flow 6): what changed, where, and a "this wasn't me" link; texts from the catalogue (account.notice).
import { put, type Messages } from '../../i18n/catalogue.ts';
import { renderEmail, type MailBranding, type RenderedEmail } from '../../ui/email.ts';

export type SecurityNoticeKind = 'password' | 'email' | 'passkey' | 'mfa' | 'new-device';

export interface SecurityNoticeContent {
  username: string;
  kind: SecurityNoticeKind;
  /** Where it happened, when known: "Firefox on Linux, Paris, FR (203.0.113.7)". */
  detail: string | null;
  url: string;
  days: number;
}

export function securityNoticeEmail(texts: Messages, branding: MailBranding, n: SecurityNoticeContent): RenderedEmail {
  const t = texts.account.notice;
  const heading = t.headings[n.kind];
  return renderEmail(branding, {
    lang: texts.lang,
    subject: `${heading} · ${branding.productName}`,
    heading,
    paragraphs: [
      put(t.intro, { username: n.username }),
      ...(n.kind === 'email' ? [t.emailMoved] : []),
      ...(n.detail ? [put(t.detail, { detail: n.detail })] : []),
      t.explain,
    ],
    action: { label: texts.account.mail.notMeTitle, url: n.url },
    footer: [t.ok, put(t.lifetime, { days: n.days }), t.why],
  });
}
