// Reading one var into Config (src/config.ts): whole numbers in a range.
import type { Bindings } from './bindings.ts';
import { ConfigError } from './config-error.ts';

type NumericVar = {
  [K in keyof Bindings]-?: Bindings[K] extends string | undefined ? (string extends Bindings[K] ? K : never) : never;
}[keyof Bindings];

/** A whole number in [min, max] from a var written in plain decimal digits (no 0x, 1e3 or spaces). */
export function readNumber(env: Bindings, name: NumericVar, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const YEAR_SECONDS = 31_536_000;
export const seconds = (env: Bindings, name: NumericVar, fallback: number) => readNumber(env, name, fallback, 60, YEAR_SECONDS);
export const count = (env: Bindings, name: NumericVar, fallback: number) => readNumber(env, name, fallback, 1, 1_000_000);
