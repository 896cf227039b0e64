// The signed transaction that carries an authorization request between our pages; the browser cannot alter it.
import type { Context } from 'hono';
import { LOGIN_TRANSACTION_TTL_SECONDS } from '../constants.ts';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';

const TRANSACTION_TYP = 'authz-request+jwt';

/** What the signed transaction carries between our pages; the browser cannot alter it. */
export interface Transaction {
  request: AuthorizationRequest;
  /** Set on the consent page: the session that consent is asked for. */
  consentSession: string | null;
}

export function sealTransaction(c: Context<AppEnv>, tx: Transaction): Promise<string> {
  return sealEnvelope(c.get('services').envelopeKeys, TRANSACTION_TYP, { tx }, LOGIN_TRANSACTION_TTL_SECONDS);
}

export async function openTransaction(c: Context<AppEnv>, token: string | undefined): Promise<Transaction | null> {
  if (!token || token.length > 16_384) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, TRANSACTION_TYP, token);
  return (claims?.tx as Transaction | undefined) ?? null;
}
