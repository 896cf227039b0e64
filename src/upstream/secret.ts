// An upstream client secret at rest: encrypted under DATA_ENCRYPTION_KEY, bound to its provider's name.
import { decryptData, encryptData, type DataBinding, type DataKeys } from '../crypto/data-key.ts';

const binding = (provider: string): DataBinding => ({ purpose: 'upstream-client-secret', subject: provider });
const encoder = new TextEncoder();

/** The secret must be sent to the upstream's token endpoint, so it is encrypted, not hashed. */
export function sealClientSecret(keys: DataKeys, provider: string, secret: string): Promise<string> {
  return encryptData(keys, encoder.encode(secret), binding(provider));
}

/**
 * An upstream token set for a provider that keeps tokens (--keep-tokens), bound to the link it belongs to; null
 * when the provider does not keep them.
 */
export function sealUpstreamTokens(keys: DataKeys, keep: boolean, issuer: string, subject: string, tokens: unknown): Promise<string | null> {
  if (!keep || tokens === undefined) return Promise.resolve(null);
  return encryptData(keys, encoder.encode(JSON.stringify(tokens)), { purpose: 'upstream-tokens', subject: `${issuer} ${subject}` });
}

/** Null when the ciphertext was altered, moved to another provider, or its key version is gone. */
export async function openClientSecret(keys: DataKeys, provider: string, stored: string): Promise<string | null> {
  const plain = await decryptData(keys, stored, binding(provider));
  return plain && new TextDecoder().decode(plain);
}
