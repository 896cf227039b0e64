// TOTP and recovery-code page parts: the enrolment (QR code as inline SVG, the key as text), code fields, new codes.
import { html, raw } from 'hono/html';
import type { Messages } from '../i18n/catalogue.ts';
import { fill, Layout, type Html, type PageBase } from './layout.ts';
import { qrMatrix } from './qr.ts';

export interface TotpEnrolmentProps {
  /** The otpauth:// URI the QR code encodes. */
  uri: string;
  /** The key as base32, for typing into an app that cannot scan. */
  secretText: string;
}

/** The code field of a TOTP form: digits only, autofill from the platform where it can. */
export function TotpCodeField(t: Messages, error: string | null): Html {
  return html`<label for="totp-code">${t.authAppCode}</label><input id="totp-code" name="code" type="text" inputmode="numeric"${
    raw(' pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required=""')}${error ? raw(' aria-invalid="true"') : null}/>`;
}

// ISO/IEC 18004 §7.3.7: a light quiet zone of four modules around the symbol.
const QUIET_ZONE = 4;

/** The QR code as one SVG path of dark runs, one module per unit. Only numbers go into it: nothing to escape. */
function qrSvg(text: string): string {
  const data = qrMatrix(text);
  const size = data.length + 2 * QUIET_ZONE;
  let path = '';
  data.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      path += `M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start + 1}v1H${start + QUIET_ZONE}z`;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="240" height="240" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}"/></svg>`;
}

/** The QR code (rendered here, no external service: the key never leaves the page) and the key as text. */
export function TotpEnrolmentFields({ t, uri, secretText }: TotpEnrolmentProps & { t: Messages }): Html {
  const svg = qrSvg(uri);
  return html`<p>${t.scanCode}</p>${[
    html`<figure class="qr" aria-label="${t.qrLabel}">${raw(svg)}</figure>`,
    html`<p>${fill(t.totpKey, html`<code class="totp-key">${secretText.replace(/(.{4})(?=.)/g, '$1 ')}</code>`)}</p>`,
    html`<p class="muted">${t.thenTypeCode}</p>`,
  ]}`;
}

export interface TotpEnrolmentPageProps extends TotpEnrolmentProps, PageBase {
  envelope: string;
  error: string | null;
}

export function TotpEnrolmentPage(p: TotpEnrolmentPageProps): Html {
  return Layout({
    title: p.t.setUpAuthApp,
    branding: p.branding,
    t: p.t,
    children: [
      html`<h1>${p.t.setUpAuthApp}</h1>`,
      p.error ? html`<p class="alert" role="alert">${p.error}</p>` : null,
      TotpEnrolmentFields(p),
      html`<form method="post" action="/account/security/totp/confirm"><input type="hidden" name="enrolment" value="${p.envelope}"/>`,
      TotpCodeField(p.t, p.error),
      html`<button type="submit">${p.t.turnOn}</button></form>`,
      html`<p class="muted"><a href="/account">${p.t.cancel}</a></p>`,
    ],
  });
}

/** New recovery codes, shown this once. */
export function RecoveryCodesList(t: Messages, codes: readonly string[]): Html {
  return html`<p>${t.saveCodes}</p><ol class="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>`;
}

export function RecoveryCodesPage({ branding, t, title, codes }: PageBase & { title: string; codes: readonly string[] }): Html {
  return Layout({
    title,
    branding,
    t,
    children: [html`<h1>${title}</h1>`, RecoveryCodesList(t, codes), html`<p><a href="/account">${t.backToAccount}</a></p>`],
  });
}

/** The recovery-code field of the second-factor page. */
export function RecoveryCodeField(t: Messages): Html {
  return html`<label for="recovery-code">${t.recoveryCode}</label><input id="recovery-code" name="recovery_code" type="text" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" required=""/>`;
}
