// Encryption at rest (AES-256-GCM) under DATA_ENCRYPTION_KEY, versioned for rotation, each value bound to its row.
import { base64url } from 'jose';

// Format: <key id>.<iv b64url>.<ciphertext and tag b64url>; the id says which key version decrypts it.
const KEY_PATTERN = /^([a-z0-9]{1,16}):([A-Za-z0-9_+/-]{43,}={0,2})$/;
const STORED_PATTERN = /^([a-z0-9]{1,16})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;
const IV_BYTES = 12;
const encoder = new TextEncoder();

export interface DataKey {
  id: string;
  aes: CryptoKey;
  /** HMAC-SHA-256 under a key derived from the same bytes (HKDF), for keyed digests such as recovery codes. */
  mac: CryptoKey;
}

/** The newest key encrypts; every listed key decrypts, so old values stay readable through a rotation. */
export interface DataKeys {
  current: DataKey;
  byId: ReadonlyMap<string, DataKey>;
}

/**
 * Where a value belongs: the purpose (e.g. "totp") and the row's subject (e.g. the user id). Both go into the
 * AES-GCM additional data, so a ciphertext copied to another user's row or another purpose does not decrypt.
 */
export interface DataBinding {
  purpose: string;
  subject: string;
}

export class DataKeyConfigError extends Error {}

function decodeKey(text: string): Uint8Array<ArrayBuffer> {
  const url = text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return base64url.decode(url) as Uint8Array<ArrayBuffer>;
}

async function importDataKey(id: string, raw: Uint8Array<ArrayBuffer>): Promise<DataKey> {
  const aes = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const hkdf = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const mac = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('edge-oidc data mac') },
    hkdf, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'],
  );
  return { id, aes, mac };
}

/** Parses DATA_ENCRYPTION_KEY: "id:base64[,id:base64...]", newest first, each exactly 32 bytes (AES-256). */
export async function importDataKeys(secret: string): Promise<DataKeys> {
  const entries = secret.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new DataKeyConfigError('DATA_ENCRYPTION_KEY is empty');
  const keys: DataKey[] = [];
  for (const entry of entries) {
    const match = KEY_PATTERN.exec(entry);
    if (!match) throw new DataKeyConfigError('DATA_ENCRYPTION_KEY entries must look like "<id>:<base64 of 32 bytes>"');
    const raw = decodeKey(match[2]!);
    if (raw.byteLength !== 32) throw new DataKeyConfigError('each DATA_ENCRYPTION_KEY must be exactly 32 bytes');
    keys.push(await importDataKey(match[1]!, raw));
  }
  const byId = new Map(keys.map((k) => [k.id, k]));
  if (byId.size !== keys.length) throw new DataKeyConfigError('DATA_ENCRYPTION_KEY has duplicate ids');
  return { current: keys[0]!, byId };
}

// The key id is in the additional data too, so a value cannot be relabelled as another version's.
function additionalData(keyId: string, binding: DataBinding): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify(['edge-oidc', keyId, binding.purpose, binding.subject])) as Uint8Array<ArrayBuffer>;
}

/** Encrypts under the newest key with a fresh 96-bit IV (NIST SP 800-38D §8.2.2: random IVs). */
export async function encryptData(keys: DataKeys, plaintext: Uint8Array, binding: DataBinding): Promise<string> {
  const { id, aes } = keys.current;
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(id, binding) }, aes, plaintext as Uint8Array<ArrayBuffer>,
  );
  return `${id}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the value is malformed, its key version is gone, or it was altered or moved. */
export async function decryptData(keys: DataKeys, stored: string, binding: DataBinding): Promise<Uint8Array | null> {
  const match = STORED_PATTERN.exec(stored);
  const key = match && keys.byId.get(match[1]!);
  if (!match || !key) return null;
  try {
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64url.decode(match[2]!) as Uint8Array<ArrayBuffer>, additionalData: additionalData(key.id, binding) },
      key.aes, base64url.decode(match[3]!) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(opened);
  } catch {
    return null;
  }
}

/** HMAC-SHA-256 of `message` under the given key version's derived MAC key, base64url. */
export async function macData(key: DataKey, message: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key.mac, encoder.encode(message))));
}
