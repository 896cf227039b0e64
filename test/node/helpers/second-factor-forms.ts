// Reading the second-factor pages as a browser would: the factor's form, its code field, the TOTP key shown as text.
import { base32Decode, currentStep, totpAt } from './totp.ts';

/** The form of one factor on the second-factor page (data-factor="<name>"), as HTML. */
export function factorForm(html: string, factor: string): string {
  const start = html.indexOf(`data-factor="${factor}"`);
  if (start === -1) throw new Error(`no ${factor} form in page: ${html.slice(0, 300)}`);
  return html.slice(start, html.indexOf('</form>', start));
}

/** The name of the form's one text field the user types into (not hidden, not a checkbox). */
export function codeFieldName(form: string): string {
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    if (/type="(hidden|checkbox)"/.test(tag)) continue;
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (name) return name;
  }
  throw new Error(`no code field in form: ${form.slice(0, 300)}`);
}

/** The TOTP key an enrolment page shows: the otpauth URI's secret, or the key written as base32 text. */
export function shownTotpKey(html: string): Buffer {
  const fromUri = /secret=([A-Z2-7]+)/i.exec(html.replace(/&amp;/g, '&'))?.[1];
  const fromText = /(?:^|[>\s])((?:[A-Z2-7]{4}[ ]?){4,}[A-Z2-7]*)(?=[<\s])/.exec(html)?.[1];
  const key = fromUri ?? fromText;
  if (!key) throw new Error('no TOTP key on the page');
  return base32Decode(key);
}

/** Codes for distinct time steps (a used step is refused again, RFC 6238 §5.2): the next unused one within ±1 step. */
export class TotpDevice {
  private lastStep = -Infinity;
  readonly key: Buffer;

  constructor(key: Buffer) {
    this.key = key;
  }

  nextCode(): string {
    const now = currentStep();
    const step = [now - 1, now, now + 1].find((s) => s > this.lastStep);
    if (step === undefined) throw new Error('every step within the window was used: wait 30 s');
    this.lastStep = step;
    return totpAt(this.key, step);
  }
}
