// The message catalogue: every language ships every key of the English one, in the same form (issue 14 §5).
import { describe, expect, it } from 'vitest';
import { CATALOGUES, UI_LOCALES_SUPPORTED } from '../../src/i18n/catalogue.ts';
import { en } from '../../src/i18n/en.ts';

/** A value's form: a string, a function of n parameters, or an object with these keys. */
function shape(value: unknown): string {
  if (typeof value === 'function') return `function/${value.length}`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).sort().map(([k, v]) => `${k}:${shape(v)}`).join(',')}}`;
  return typeof value;
}

/** Every text of a catalogue with its dotted key, groups (nested objects) opened. */
function leaves(group: object, prefix = ''): [string, unknown][] {
  return Object.entries(group).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]));
}

describe('the message catalogue', () => {
  it('ships English first (the default) and a second language', () => {
    expect(UI_LOCALES_SUPPORTED[0]).toBe('en');
    expect(UI_LOCALES_SUPPORTED).toContain('de');
  });

  it.each(Object.entries(CATALOGUES))('%s has every key of the English catalogue, no other, each in the same form', (locale, messages) => {
    const missing = Object.keys(en).filter((k) => !Object.hasOwn(messages, k));
    const extra = Object.keys(messages).filter((k) => !Object.hasOwn(en, k));
    expect(missing, `keys missing in ${locale}`).toEqual([]);
    expect(extra, `keys only in ${locale}`).toEqual([]);
    const record = messages as Record<string, unknown>;
    const reshaped = Object.entries(en).filter(([k, v]) => shape(v) !== shape(record[k])).map(([k]) => k);
    expect(reshaped, `keys of another form in ${locale}`).toEqual([]);
    expect(messages.lang).toBe(locale);
  });

  it.each(Object.entries(CATALOGUES))('%s has no empty text and its functions fill in every parameter', (_locale, messages) => {
    for (const [key, value] of leaves(messages)) {
      if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
      if (typeof value === 'function') {
        const args = Array.from({ length: value.length }, (_, i) => `ARG${i}`);
        const text = String((value as (...a: string[]) => string)(...args));
        for (const arg of args) expect(text, key).toContain(arg);
      }
    }
  });

  it.each(Object.entries(CATALOGUES))('%s keeps every {marker} of the English text, and names no other', (locale, messages) => {
    const markers = (text: unknown) => (typeof text === 'string' ? [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort() : []);
    const english = new Map(leaves(en));
    const differing = leaves(messages).filter(([k, v]) => JSON.stringify(markers(v)) !== JSON.stringify(markers(english.get(k)))).map(([k]) => k);
    expect(differing, `texts of ${locale} whose {markers} differ from English`).toEqual([]);
  });

  it('the second language is a translation, not a copy of English', () => {
    const german = new Map(leaves(CATALOGUES.de));
    const copied = leaves(en).filter(([k, v]) => typeof v === 'string' && v.length > 12 && german.get(k) === v).map(([k]) => k);
    expect(copied).toEqual([]);
  });
});
