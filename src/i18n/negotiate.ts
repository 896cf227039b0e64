// Choosing a shipped language: from ui_locales (OIDC Core §3.1.2.1) or Accept-Language (RFC 9110 §12.5.4).
import { CATALOGUES, DEFAULT_LOCALE, type Locale } from './catalogue.ts';

// RFC 4647 §2.1 language ranges (and "*"), at most 8 subtags (lookup's truncation stays cheap), RFC 9110 §12.4.2 qvalues.
const RANGE = /^([a-z]{1,8}(-[a-z0-9]{1,8}){0,7}|\*)$/i;
const QVALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;
// A header or parameter is read only this far: no language list needs more, and parsing stays cheap.
const MAX_RANGES = 20;

/**
 * RFC 4647 §3.4 lookup: the first range, in preference order, that a shipped language matches, dropping
 * subtags from the end (de-CH-1996, de-CH, de). "*" matches the default. Null when none matches.
 */
export function lookupLocale(ranges: readonly string[]): Locale | null {
  for (const range of ranges) {
    if (range === '*') return DEFAULT_LOCALE;
    const subtags = range.toLowerCase().split('-');
    for (let n = subtags.length; n > 0; n--) {
      const tag = subtags.slice(0, n).join('-');
      if (Object.hasOwn(CATALOGUES, tag)) return tag as Locale;
    }
  }
  return null;
}

/** ui_locales: space-separated BCP 47 tags, most preferred first (OIDC Core §3.1.2.1). */
export function matchUiLocales(value: string | null | undefined): Locale | null {
  if (!value) return null;
  return lookupLocale(value.split(' ').filter((t) => RANGE.test(t) && t !== '*').slice(0, MAX_RANGES));
}

/** The ranges of an Accept-Language header by descending weight (ties keep their order); q=0 and malformed ones dropped. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const weighted: { range: string; q: number }[] = [];
  for (const part of header.split(',').slice(0, MAX_RANGES)) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const qParam = params.find((p) => /^q=/i.test(p));
    if (!RANGE.test(range) || (qParam !== undefined && !QVALUE.test(qParam))) continue;
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (q > 0) weighted.push({ range, q });
  }
  // Array.prototype.sort is stable: equal weights keep the header's order.
  return weighted.sort((a, b) => b.q - a.q).map((w) => w.range);
}

/** The language of the header's most preferred range a shipped language matches, else the default. */
export function negotiateAcceptLanguage(header: string | null | undefined): Locale {
  return lookupLocale(parseAcceptLanguage(header)) ?? DEFAULT_LOCALE;
}
