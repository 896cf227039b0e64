// doctor's checks of what the deployed provider publishes: discovery's issuer (OIDC Discovery §4.3) and its JWKS.
import { importPublicJwk, type JWK } from '../../../src/crypto/keys.ts';
import type { Check } from './check.ts';

const FETCH_TIMEOUT_MS = 10_000;

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'manual' });
  if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
  return res.json();
}

function reason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

export interface Discovery {
  issuer?: unknown;
  jwks_uri?: unknown;
}

/** The discovery document at ISSUER/.well-known/openid-configuration, or why it could not be read. */
export async function readDiscovery(issuer: string): Promise<Discovery | string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  try {
    const doc = await fetchJson(url);
    return doc !== null && typeof doc === 'object' ? (doc as Discovery) : `${url} is not a JSON object`;
  } catch (error) {
    return `cannot read ${url}: ${reason(error)}`;
  }
}

/** OIDC Discovery §4.3: the issuer in the document must be identical to the URL it was fetched for. */
export function checkIssuer(expected: string, discovery: Discovery | string): Check {
  if (typeof discovery === 'string') return { check: 'discovery', ok: false, detail: discovery };
  if (discovery.issuer === expected) return { check: 'discovery', ok: true, detail: `issuer is ${expected}` };
  return { check: 'discovery', ok: false, detail: `issuer is ${JSON.stringify(discovery.issuer)}, expected ${expected} (set ISSUER)` };
}

/** Every key at jwks_uri imports as a public key: no private members, and its alg is one jose knows. */
export async function checkJwks(discovery: Discovery | string): Promise<Check> {
  const fail = (detail: string): Check => ({ check: 'jwks', ok: false, detail });
  if (typeof discovery === 'string') return fail('not checked: discovery could not be read');
  if (typeof discovery.jwks_uri !== 'string') return fail('discovery has no jwks_uri');
  let set: { keys?: unknown };
  try {
    set = (await fetchJson(discovery.jwks_uri)) as { keys?: unknown };
  } catch (error) {
    return fail(`cannot read ${discovery.jwks_uri}: ${reason(error)}`);
  }
  if (!Array.isArray(set?.keys) || set.keys.length === 0) return fail(`${discovery.jwks_uri} holds no keys`);
  for (const [i, key] of (set.keys as JWK[]).entries()) {
    if (key === null || typeof key !== 'object') return fail(`key ${i} is not an object`);
    if ('d' in key) return fail(`key ${key.kid ?? i} publishes private key material`);
    try {
      await importPublicJwk(key);
    } catch (error) {
      return fail(`key ${key.kid ?? i} does not import: ${reason(error)}`);
    }
  }
  const algs = (set.keys as JWK[]).map((k) => k.alg ?? k.kty).join(', ');
  return { check: 'jwks', ok: true, detail: `${set.keys.length} public key(s): ${algs}` };
}
