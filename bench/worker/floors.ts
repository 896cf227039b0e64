// Reference costs measured inside the same runtime: the primitives an endpoint cannot avoid, and local storage calls.
import { PBKDF2_ITERATIONS } from '../../src/constants.ts';
import type { Bindings } from '../../src/env.ts';
import { loadServices } from '../../src/services.ts';

export const FLOOR_OPS = ['none', 'pbkdf2', 'rs256', 'es256', 'es256_verify', 'sha256', 'hs256', 'd1_read', 'd1_write', 'kv_read', 'kv_write'] as const;
export type FloorOp = (typeof FLOOR_OPS)[number];

const encoder = new TextEncoder();
// About the size of a JWS signing input for our id_tokens (header and claims, base64url).
const SIGNING_INPUT = encoder.encode('e'.repeat(420));
// An authorization code as the Worker makes it: 32 random bytes, base64url.
const CODE = encoder.encode('x'.repeat(43));
// Fixed inputs: workerd forbids random values at module scope, and PBKDF2's cost does not depend on them.
const PASSWORD_KEY_BYTES = new Uint8Array(32).fill(7);
const SALT = new Uint8Array(16).fill(9);

export function isFloorOp(value: string | null): value is FloorOp {
  return (FLOOR_OPS as readonly string[]).includes(value ?? '');
}

/** Runs one primitive `n` times, sequentially; the caller reads the process CPU around the request. */
export async function runFloor(env: Bindings, op: FloorOp, n: number): Promise<void> {
  const services = await loadServices(env);
  const rsKey = services.keys.signing.get('RS256')!.key;
  const es = services.keys.signing.get('ES256');
  const esKey = es?.key;
  const esPublicKey = es ? services.keys.verifying.get(es.kid)?.key : undefined;
  const esSignature = esKey && op === 'es256_verify' ? await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, esKey, SIGNING_INPUT) : null;
  for (let i = 0; i < n; i++) {
    switch (op) {
      case 'none':
        break;
      case 'pbkdf2': {
        // What src/crypto/password.ts does per verification, without the pepper HMAC (measured as hs256).
        const material = await crypto.subtle.importKey('raw', PASSWORD_KEY_BYTES, 'PBKDF2', false, ['deriveBits']);
        await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: SALT, iterations: PBKDF2_ITERATIONS }, material, 256);
        break;
      }
      case 'rs256':
        await crypto.subtle.sign('RSASSA-PKCS1-v1_5', rsKey, SIGNING_INPUT);
        break;
      case 'es256':
        if (!esKey) throw new Error('no ES256 key configured');
        await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, esKey, SIGNING_INPUT);
        break;
      case 'es256_verify':
        if (!esPublicKey || !esSignature) throw new Error('no ES256 key configured');
        await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, esPublicKey, esSignature, SIGNING_INPUT);
        break;
      case 'sha256':
        await crypto.subtle.digest('SHA-256', CODE);
        break;
      case 'hs256':
        await crypto.subtle.sign('HMAC', services.envelopeKeys.seal, SIGNING_INPUT);
        break;
      case 'd1_read':
        await env.DB.prepare('SELECT id FROM users WHERE id = ?').bind('bench-none').first();
        break;
      case 'd1_write':
        await env.DB.prepare('INSERT INTO bench_scratch (v) VALUES (?)').bind(i).run();
        break;
      case 'kv_read':
        await env.CODES.get('bench:floor');
        break;
      case 'kv_write':
        await env.CODES.put('bench:floor', String(i), { expirationTtl: 60 });
        break;
    }
  }
}
