// Finding English left on a page or in a mail meant to be German: the catalogue's English texts and common words.
import { expect } from 'vitest';
import { de } from '../../src/i18n/de.ts';
import { en } from '../../src/i18n/en.ts';

/** Every string of a catalogue (nested groups too) by its dotted key. */
function strings(value: unknown, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'string') found.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [path, s] of strings(v, prefix ? `${prefix}.${k}` : k)) found.set(path, s);
  }
  return found;
}

const GERMAN = strings(de);
// Every English text German replaces (the longest part between {markers}), long enough not to be a shared word.
const ENGLISH_TEXTS = [...strings(en)]
  .filter(([key, text]) => text !== GERMAN.get(key))
  .map(([, text]) => ({ text, part: text.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0]!.trim() }))
  // A part beside a {marker} counts when it is more than one word ("Link" is German too).
  .filter(({ text, part }) => part.length > 3 && (part === text || part.includes(' ')))
  .map(({ part }) => part);
const ENGLISH_WORDS = /\b(the|your|you|and|to|of|is|this|with|sign|password|account|code from|passkey was|not)\b/i;

/** What a reader sees: no style, SVG, tags or links' addresses, entities as characters. */
export const visibleText = (page: string) =>
  page.replace(/https?:\/\/[^\s<>"]+/g, ' ').replace(/<style[^]*?<\/style>|<svg[^]*?<\/svg>|<script[^]*?<\/script>/g, ' ').replace(/<[^>]*>/g, '\n').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Fails with the English found in a page or mail that should be German. */
export function expectNoEnglish(page: string): void {
  const text = visibleText(page);
  expect(ENGLISH_TEXTS.filter((s) => text.includes(s))).toEqual([]);
  expect(text.split(/\n|\s{2,}/).filter((line) => ENGLISH_WORDS.test(line))).toEqual([]);
  if (page.includes('<html')) expect(page).toMatch(/<html lang="de">/);
}
