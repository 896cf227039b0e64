// Parsers for the OIDC authorization parameters (OIDC Core §3.1.2.1): prompt, max_age, claims, id_token_hint.
import { CLAIMS_SUPPORTED, PROMPT_VALUES_SUPPORTED } from '../constants.ts';
import type { KeySet } from '../crypto/keys.ts';
import type { Client } from '../store/clients.ts';
import { OAuthError } from './errors.ts';
import { readIdTokenHint } from './id-token-hint.ts';

export type Prompt = (typeof PROMPT_VALUES_SUPPORTED)[number];

export function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(' ').filter(Boolean))];
  for (const v of values) {
    if (!(PROMPT_VALUES_SUPPORTED as readonly string[]).includes(v)) throw new OAuthError('invalid_request', `unsupported prompt value ${v}`);
  }
  // OIDC Core §3.1.2.1: none must not be combined with any other value.
  if (values.includes('none') && values.length > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values');
  return values as Prompt[];
}

export function parseMaxAge(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value)) throw new OAuthError('invalid_request', 'max_age must be a non-negative integer');
  return Number(value);
}

/** OIDC Core §5.5: the claims wanted in the id_token; only claims we support are kept. */
export function parseIdTokenClaims(value: string | undefined): string[] {
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new OAuthError('invalid_request', 'claims is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OAuthError('invalid_request', 'claims must be a JSON object');
  const idToken = (parsed as { id_token?: unknown }).id_token;
  if (idToken === undefined || idToken === null) return [];
  if (typeof idToken !== 'object' || Array.isArray(idToken)) throw new OAuthError('invalid_request', 'claims.id_token must be a JSON object');
  return Object.keys(idToken).filter((name) => CLAIMS_SUPPORTED.includes(name));
}

/** The subject of a valid id_token_hint, or null when none was sent. */
export async function readIdTokenHintSub(
  value: string | undefined,
  keys: KeySet,
  issuer: string,
  loadClient: (id: string) => Promise<Client | null>,
  client: Client,
): Promise<string | null> {
  if (value === undefined) return null;
  const hint = await readIdTokenHint(keys, issuer, value, loadClient, client);
  if (!hint) throw new OAuthError('invalid_request', 'id_token_hint is not a valid id_token from this issuer for a registered client');
  return hint.sub;
}
