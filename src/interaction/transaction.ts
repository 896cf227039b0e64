// The signed transaction that carries an authorization request between our pages; the browser cannot alter it.
import type { Context } from 'hono';
import { LOGIN_TRANSACTION_TTL_SECONDS } from '../constants.ts';
import { openEnvelope, sealEnvelope, type JWTPayload } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import { useLocale } from '../middleware/language.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';

const TRANSACTION_TYP = 'authz-request+jwt';

/** What the signed transaction carries between our pages; the browser cannot alter it. */
export interface Transaction {
  request: AuthorizationRequest;
  /** Set on the consent page: the session that consent is asked for. */
  consentSession: string | null;
}

// A page's signed form field is refused unread beyond this (ours are a few KiB at most).
const MAX_PAGE_ENVELOPE_CHARS = 16_384;

/** Seals what one of our pages posts back (typ names which page), valid for LOGIN_TRANSACTION_TTL_SECONDS. */
export function sealPageEnvelope(c: Context<AppEnv>, typ: string, claims: JWTPayload): Promise<string> {
  return sealEnvelope(c.get('services').envelopeKeys, typ, claims, LOGIN_TRANSACTION_TTL_SECONDS);
}

/** Opens a page's posted envelope of this typ; null when absent, oversized, expired or altered. */
export async function openPageEnvelope(c: Context<AppEnv>, typ: string, token: string | null | undefined): Promise<JWTPayload | null> {
  if (!token || token.length > MAX_PAGE_ENVELOPE_CHARS) return null;
  return openEnvelope(c.get('services').envelopeKeys, typ, token);
}

export function sealTransaction(c: Context<AppEnv>, tx: Transaction): Promise<string> {
  return sealPageEnvelope(c, TRANSACTION_TYP, { tx });
}

/** Opens a journey's transaction; its ui_locales language (if any) becomes the request's (src/middleware/language.ts). */
export async function openTransaction(c: Context<AppEnv>, token: string | undefined): Promise<Transaction | null> {
  const claims = await openPageEnvelope(c, TRANSACTION_TYP, token);
  const tx = (claims?.tx as Transaction | undefined) ?? null;
  useLocale(c, tx?.request.uiLocale);
  return tx;
}
