// The message catalogue: the languages that ship (one file each), and a language's texts by key.
import { de } from './de.ts';
import { en, type Messages } from './en.ts';

export type { Messages } from './en.ts';

/**
 * The languages that ship, English first (the default). Adding one is its file beside en.ts, typed `Messages`,
 * and its line here: discovery's ui_locales_supported and negotiation follow from this table.
 */
export const CATALOGUES = { en, de } satisfies Record<string, Messages>;

export type Locale = keyof typeof CATALOGUES;

export const DEFAULT_LOCALE: Locale = 'en';

/** OIDC Discovery §3 ui_locales_supported. */
export const UI_LOCALES_SUPPORTED = Object.keys(CATALOGUES) as Locale[];

/** The keys whose text is a plain string (titles, messages): what a caller may name without arguments. */
export type TextKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

/** A catalogue text with its `{name}` markers replaced by the values (plain text; pages escape it). */
export function put(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (marker, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : marker));
}
