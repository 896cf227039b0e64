// TOTP (RFC 6238): HMAC-SHA-1 over the 30-second step counter, dynamic truncation to 6 digits (RFC 4226 §5.3).
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { timingSafeEqual } from './compare.ts';
import { randomBytes } from './random.ts';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 6238 §5.2: one step either side absorbs clock drift and typing time. */
export const TOTP_WINDOW_STEPS = 1;
/** RFC 4226 §4 R6 recommends 160 bits, the SHA-1 output length. */
export const TOTP_SECRET_BYTES = 20;

const encoder = new TextEncoder();

export function newTotpSecret(): Uint8Array {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** The key as authenticator apps take it: base32 without padding (the otpauth URI's `secret`). */
export function totpSecretText(secret: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(secret);
}

export function totpStep(nowSeconds: number): number {
  return Math.floor(nowSeconds / TOTP_STEP_SECONDS);
}

/** The code of one step (RFC 6238 §4.2: T as an 8-byte big-endian counter), `digits` long with leading zeros. */
export async function totpCode(secret: Uint8Array, step: number, digits = TOTP_DIGITS): Promise<string> {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const key = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = new DataView(mac.buffer).getUint32(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The step whose code `code` is, within ±TOTP_WINDOW_STEPS of now, or null. Every step of the window is computed
 * and compared in constant time, so the time taken does not say which step matched. Single use is the caller's
 * claim of the returned step (src/store/single-use.ts).
 */
export async function matchTotpStep(secret: Uint8Array, code: string, nowSeconds: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStep(nowSeconds);
  const steps: number[] = [];
  for (let d = -TOTP_WINDOW_STEPS; d <= TOTP_WINDOW_STEPS; d++) steps.push(current + d);
  const codes = await Promise.all(steps.map((s) => totpCode(secret, s)));
  let matched: number | null = null;
  codes.forEach((expected, i) => {
    if (timingSafeEqual(encoder.encode(expected), encoder.encode(code)) && matched === null) matched = steps[i]!;
  });
  return matched;
}

/** The Key Uri Format authenticator apps scan: otpauth://totp/<issuer>:<account>?secret=…&issuer=… */
export function otpauthUri(secret: Uint8Array, issuer: string, account: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({ secret: totpSecretText(secret), issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${params}`;
}
