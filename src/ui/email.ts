// Every email's two bodies from one content shape: plain text, and simple HTML in the sign-in pages' design language.
import { html } from 'hono/html';

/**
 * What a message says, in order. Each message module (src/mail/messages/) fills one in from its own texts, so a
 * message catalogue can later take the strings over and a new notice is one more module.
 */
export interface EmailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** The one button (and its URL, repeated as text for clients that show no HTML). */
  action?: { label: string; url: string };
  /** A short code to type instead of following the link. */
  code?: { label: string; value: string };
  /** Small print under a rule: why the mail came, what to do if it was not you. */
  footer: string[];
}

/** What a mail shows of the branding (config.ts Branding fits); no config import, so the admin CLI can render mail. */
export interface MailBranding {
  productName: string;
  accentColor: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

// Inline styles only: mail clients drop stylesheets. The card, colours and type mirror src/ui/style.ts.
const BODY = 'margin:0;padding:24px 12px;background:#f4f5f7;color:#1c1f24;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif';
const CARD = 'max-width:480px;margin:0 auto;background:#fff;border:1px solid #c4c9d1;border-radius:12px;padding:28px 24px';
const MUTED = 'color:#555c66;font-size:13px';

function renderHtml(branding: MailBranding, c: EmailContent): string {
  const button = `display:inline-block;padding:11px 18px;border-radius:8px;background:${branding.accentColor};color:#fff;font-weight:600;text-decoration:none`;
  return String(html`<!doctype html><html><head><meta charset="utf-8"/><meta name="color-scheme" content="light"/><title>${c.subject}</title></head>${[
    html`<body style="${BODY}"><div style="${CARD}">`,
    html`<p style="margin:0 0 16px;font-weight:600">${branding.productName}</p>`,
    html`<h1 style="font-size:22px;margin:0 0 12px">${c.heading}</h1>`,
    c.paragraphs.map((p) => html`<p style="margin:0 0 12px">${p}</p>`),
    c.action ? html`<p style="margin:20px 0"><a href="${c.action.url}" style="${button}">${c.action.label}</a></p>` : '',
    c.action ? html`<p style="${MUTED};word-break:break-all">${c.action.url}</p>` : '',
    c.code ? html`<p style="margin:16px 0 4px">${c.code.label}</p><p style="font:600 24px ui-monospace,Menlo,Consolas,monospace;letter-spacing:.2em;margin:0 0 12px">${c.code.value}</p>` : '',
    html`<hr style="border:0;border-top:1px solid #c4c9d1;margin:20px 0"/>`,
    c.footer.map((p) => html`<p style="${MUTED};margin:0 0 8px">${p}</p>`),
    html`</div></body>`,
  ]}</html>`);
}

function renderText(branding: MailBranding, c: EmailContent): string {
  const lines = [c.heading, '', ...c.paragraphs.flatMap((p) => [p, ''])];
  if (c.action) lines.push(`${c.action.label}:`, c.action.url, '');
  if (c.code) lines.push(`${c.code.label} ${c.code.value}`, '');
  lines.push('--', ...c.footer, '', branding.productName);
  return lines.join('\n');
}

export function renderEmail(branding: MailBranding, content: EmailContent): RenderedEmail {
  return { subject: content.subject, text: renderText(branding, content), html: renderHtml(branding, content) };
}
