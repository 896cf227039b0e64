// Recovery codes for a user: made with a second factor, regenerated on /account, each used once (issue 13).
import type { DataKeys } from '../crypto/data-key.ts';
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeDigest, recoveryCodeDigests } from '../crypto/recovery-codes.ts';
import type { D1Like } from '../store/db.ts';
import { consumeRecoveryCode, insertRecoveryCodesIfNone, replaceRecoveryCodes } from '../store/recovery-codes.ts';

async function digestsOf(keys: DataKeys, userId: string, codes: readonly string[]): Promise<string[]> {
  return Promise.all(codes.map((code) => recoveryCodeDigest(keys.current, userId, normalizeRecoveryCode(code)!)));
}

/**
 * A first set of ten codes when the user has no unused one (after a TOTP or passkey enrolment): the new codes,
 * to show once, or null when the user already had codes (they stay valid, nothing to show).
 */
export async function ensureRecoveryCodes(db: D1Like, keys: DataKeys, userId: string, now: number): Promise<string[] | null> {
  const codes = newRecoveryCodes();
  return (await insertRecoveryCodesIfNone(db, userId, await digestsOf(keys, userId, codes), now)) ? codes : null;
}

/** A new set of ten codes; the old set, used or not, stops working in the same transaction. */
export async function regenerateRecoveryCodes(db: D1Like, keys: DataKeys, userId: string, now: number): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(db, userId, await digestsOf(keys, userId, codes), now);
  return codes;
}

/**
 * Uses the typed code once, on the D1 primary (the one write that decides between concurrent uses): how many
 * codes remain, or null when the input is no code of this user's, or one already used.
 */
export async function useRecoveryCode(db: D1Like, keys: DataKeys, userId: string, input: string, now: number): Promise<number | null> {
  const normalized = normalizeRecoveryCode(input);
  if (!normalized) return null;
  return consumeRecoveryCode(db, userId, await recoveryCodeDigests(keys, userId, normalized), now);
}
