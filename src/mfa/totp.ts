// TOTP for a user: the secret at rest, a code's check (throttled, each step used once) and enrolment (issue 13).
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { LOGIN_TRANSACTION_TTL_SECONDS } from '../constants.ts';
import { type DataKeys, decryptData, encryptData, macData } from '../crypto/data-key.ts';
import { matchTotpStep, TOTP_SECRET_BYTES, TOTP_STEP_SECONDS, TOTP_WINDOW_STEPS } from '../crypto/totp.ts';
import type { AppEnv } from '../env.ts';
import { loginSucceeded } from '../guards/login-throttle.ts';
import { reserveSecondFactorAttempt } from '../guards/second-factor-throttle.ts';
import { replicaReader } from '../store/db.ts';
import { claimOnce } from '../store/single-use.ts';
import { findTotpSecret, insertTotpSecret, replaceTotpCiphertext } from '../store/totp-secrets.ts';
import { ensureRecoveryCodes } from './recovery-codes.ts';
import { base64url } from 'jose';

const binding = (userId: string) => ({ purpose: 'totp', subject: userId });

/**
 * The user's TOTP secret, decrypted; null when there is none (or it no longer decrypts). Replica read. A secret
 * stored under an older DATA_ENCRYPTION_KEY version is re-encrypted under the newest one off the response path
 * (waitUntil), so a rotation completes as users sign in (docs/security.md, "Data key rotation").
 */
export async function readTotpSecret(c: Context<AppEnv>, userId: string): Promise<Uint8Array | null> {
  const { dataKeys } = c.get('services');
  const row = await findTotpSecret(replicaReader(c.env.DB), userId);
  const secret = row && (await decryptData(dataKeys, row.secret, binding(userId)));
  if (row && secret && !row.secret.startsWith(`${dataKeys.current.id}.`)) {
    c.executionCtx.waitUntil(encryptData(dataKeys, secret, binding(userId))
      .then((fresh) => replaceTotpCiphertext(c.env.DB, userId, row.secret, fresh)).catch(() => undefined));
  }
  return secret;
}

/**
 * The secret an enrolment offers, derived from the page's random challenge under the data key: the same page
 * posted back gives the same secret, so nothing is stored (nor carried in the page) until a code confirms it.
 */
export async function pendingTotpSecret(keys: DataKeys, userId: string, challenge: string): Promise<Uint8Array> {
  const mac = base64url.decode(await macData(keys.current, `totp-enrolment:${userId}:${challenge}`));
  return mac.slice(0, TOTP_SECRET_BYTES);
}

export type TotpCheck = 'ok' | 'wrong' | 'reused' | 'throttled';

/**
 * Checks a typed code: counted against the account and the address first, then matched within ±1 step, then
 * that step claimed once in the user's Durable Object (RFC 6238 §5.2: a verifier must not accept a code twice).
 * The claim lasts until the step leaves the window.
 */
export async function checkTotpCode(c: Context<AppEnv>, userId: string, secret: Uint8Array, code: string, clientId: string | null): Promise<TotpCheck> {
  const attempt = await reserveSecondFactorAttempt(c, userId, clientId);
  if (attempt.throttled) return 'throttled';
  const now = nowSeconds();
  const step = await matchTotpStep(secret, code.replace(/\s/g, '').slice(0, 16), now);
  if (step === null) return 'wrong';
  const until = (step + TOTP_WINDOW_STEPS + 1) * TOTP_STEP_SECONDS;
  if (!(await claimOnce(c.env.SINGLE_USE, `totp:${userId}`, String(step), until, now))) return 'reused';
  loginSucceeded(c, attempt);
  return 'ok';
}

export type TotpEnrolment = { ok: true; recoveryCodes: string[] | null } | { ok: false; check: Exclude<TotpCheck, 'ok'> | 'enrolled' };

/**
 * Completes an enrolment once a correct code for the pending secret is typed: the page's challenge is claimed
 * once (a replayed page cannot enrol again), the secret stored encrypted, and a first set of recovery codes made.
 */
export async function enrolTotp(c: Context<AppEnv>, userId: string, challenge: string, code: string, clientId: string | null): Promise<TotpEnrolment> {
  const { dataKeys } = c.get('services');
  const secret = await pendingTotpSecret(dataKeys, userId, challenge);
  const check = await checkTotpCode(c, userId, secret, code, clientId);
  if (check !== 'ok') return { ok: false, check };
  const now = nowSeconds();
  const fresh = await claimOnce(c.env.SINGLE_USE, `totp-enrolment:${userId}`, challenge, now + LOGIN_TRANSACTION_TTL_SECONDS, now);
  const stored = fresh && (await insertTotpSecret(c.env.DB, userId, await encryptData(dataKeys, secret, binding(userId)), now));
  if (!stored) return { ok: false, check: 'enrolled' };
  return { ok: true, recoveryCodes: await ensureRecoveryCodes(c.env.DB, dataKeys, userId, now) };
}
