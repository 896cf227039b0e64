// Choosing the language: ui_locales (OIDC Core §3.1.2.1), then Accept-Language (RFC 9110 §12.5.4), then English.
import { describe, expect, it } from 'vitest';
import { lookupLocale, matchUiLocales, negotiateAcceptLanguage, parseAcceptLanguage } from '../../src/i18n/negotiate.ts';

describe('Accept-Language', () => {
  it('orders ranges by q-value, ties in header order, and drops q=0', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de;q=0.9, en-GB, it;q=0')).toEqual(['en-GB', 'de', 'fr']);
    expect(parseAcceptLanguage('da, en-gb;q=0.8, en;q=0.8')).toEqual(['da', 'en-gb', 'en']);
  });

  it('picks the shipped language with the highest weight', () => {
    expect(negotiateAcceptLanguage('en;q=0.5, de;q=0.9')).toBe('de');
    expect(negotiateAcceptLanguage('de;q=0.4, en;q=0.6')).toBe('en');
    expect(negotiateAcceptLanguage('fr, de;q=0.1')).toBe('de');
  });

  it('falls back from a region or script to its language (RFC 4647 §3.4 lookup)', () => {
    expect(negotiateAcceptLanguage('de-CH')).toBe('de');
    expect(negotiateAcceptLanguage('DE-at-1996')).toBe('de');
    expect(negotiateAcceptLanguage('en-US, de;q=0.9')).toBe('en');
  });

  it('answers English for unknown, absent, wildcard and malformed headers', () => {
    expect(negotiateAcceptLanguage('fr-FR, ja;q=0.8')).toBe('en');
    expect(negotiateAcceptLanguage(undefined)).toBe('en');
    expect(negotiateAcceptLanguage('')).toBe('en');
    expect(negotiateAcceptLanguage('*')).toBe('en');
    expect(negotiateAcceptLanguage('fr, *;q=0.5, de;q=0.1')).toBe('en');
    expect(negotiateAcceptLanguage('de;q=2, de;q=abc, <script>, de-;q=1')).toBe('en');
    expect(negotiateAcceptLanguage(`${'x-'.repeat(5000)}de`)).toBe('en');
    expect(negotiateAcceptLanguage('de-a-b-c-d-e-f-g-h')).toBe('en');
    expect(negotiateAcceptLanguage('de-a-b-c-d-e-f-g')).toBe('de');
    expect(negotiateAcceptLanguage('de;q=0')).toBe('en');
  });

  it('reads only the first 20 ranges of a long header', () => {
    expect(negotiateAcceptLanguage(`${Array(20).fill('fr').join(',')},de`)).toBe('en');
    expect(negotiateAcceptLanguage(`${Array(19).fill('fr').join(',')},de`)).toBe('de');
  });
});

describe('ui_locales', () => {
  it('takes the first tag, in the order given, that a shipped language matches', () => {
    expect(matchUiLocales('fr-CA de en')).toBe('de');
    expect(matchUiLocales('en de')).toBe('en');
    expect(matchUiLocales('de-CH')).toBe('de');
  });

  it('is null for nothing shipped, nothing given, or no valid tag', () => {
    expect(matchUiLocales('fr ja')).toBeNull();
    expect(matchUiLocales(undefined)).toBeNull();
    expect(matchUiLocales('*')).toBeNull();
    expect(matchUiLocales('de;q=1 __proto__ constructor')).toBeNull();
    expect(lookupLocale(['toString', 'hasOwnProperty'])).toBeNull();
  });
});
