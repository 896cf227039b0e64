// What the password policy compares: forms with case, digit-for-letter swaps and trailing symbols folded away,
// and the repetitive and sequential shapes NIST SP 800-63B rev. 3 §5.1.1.2 names as blocklist examples.
import { normalizePassword } from './unicode.ts';

// Common digit-for-letter swaps. "1" stands for both "i" and "l", so "l" folds to "i" as well: compared
// strings are folded alike, so "1iverpoo1", "liverpool" and "Liverp00l" all meet as "iiverpooi".
const SWAPS: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', l: 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't' };
const SWAPPABLE = /[01l34@5$7]/g;
const TRAILING_DIGITS_AND_SYMBOLS = /[\p{N}\p{P}\p{S}\s]+$/u;
const TRAILING_SYMBOLS = /[\p{P}\p{S}\s]+$/u;
const SEPARATORS = /[\s._-]+/g;

/** NFKC and lower case: the form every rule starts from. */
export function foldCase(text: string): string {
  return normalizePassword(text).toLowerCase();
}

/** The folded text with digit-for-letter swaps undone. */
export function unswap(folded: string): string {
  return folded.replace(SWAPPABLE, (ch) => SWAPS[ch]!);
}

/**
 * The folded text, without the symbols it ends with, and without the digits and symbols it ends with
 * ("trustno1?" is "trustno1" with a symbol added; "password2024!" is "password" with both): each distinct
 * non-empty form once.
 */
export function trailingForms(folded: string): string[] {
  const forms = [folded, folded.replace(TRAILING_SYMBOLS, ''), folded.replace(TRAILING_DIGITS_AND_SYMBOLS, '')];
  return [...new Set(forms.filter(Boolean))];
}

/** The form context words are compared in: folded, separators dropped, swaps undone. */
export function contextForm(text: string): string {
  return unswap(foldCase(text).replace(SEPARATORS, ''));
}

/** "aaaaaaaa", "abababab", "abcabcab": the whole text repeats a unit at most half its length. */
export function isRepetitive(folded: string): boolean {
  const chars = [...folded];
  for (let period = 1; period <= chars.length / 2; period++) {
    let i = period;
    while (i < chars.length && chars[i] === chars[i - period]) i++;
    if (i === chars.length) return true;
  }
  return false;
}

// Alphabet, digits and keyboard rows (QWERTY, AZERTY, QWERTZ); each is also read backwards.
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn', 'qwertzuiop', 'yxcvbnm'];
const RUNS = [...SEQUENCES, ...SEQUENCES.map((s) => [...s].reverse().join(''))];
const MIN_RUN = 3;

function isRun(piece: string): boolean {
  return RUNS.some((run) => run.includes(piece)) || [...piece].every((ch) => ch === piece[0]);
}

/**
 * "12345678", "abcdefgh", "qwertyui", "1234abcd", "aaaa1111": the whole text is a chain of runs of at least
 * three characters, each a stretch of the alphabet, the digits or a keyboard row, or one character repeated.
 */
export function isSequential(folded: string): boolean {
  const n = folded.length;
  const reachable = new Array<boolean>(n + 1).fill(false);
  reachable[0] = true;
  for (let start = 0; start < n; start++) {
    if (!reachable[start]) continue;
    for (let end = start + MIN_RUN; end <= Math.min(n, start + 26); end++) {
      if (!reachable[end] && isRun(folded.slice(start, end))) reachable[end] = true;
    }
  }
  return reachable[n]!;
}
