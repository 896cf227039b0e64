// The bench's passkeys: one ES256 key registered as a credential of each passkey user (bench/lib/server.ts), and
// assertions that answer login pages' challenges as a browser's script posts them (POST /login method=passkey).
// Counters stay 0, as synced passkeys' do, so concurrent sign-ins under load are never refused as a counter
// regression; the sign-ins are spread over the users because each user's SingleUseMarks object holds at most
// 1,000 live challenges.
import { createHash } from 'node:crypto';
import type { RequestSpec } from './rp.ts';

export interface BenchPasskey {
  /** One credential id per passkey user. */
  credentialIds: string[];
  /** The COSE_Key (RFC 9052 §7) stored in D1, base64url. */
  publicKey: string;
  privateKey: CryptoKey;
}

const b64 = (bytes: Uint8Array | ArrayBuffer) => Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('base64url');

export async function createBenchPasskey(users: number): Promise<BenchPasskey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  // {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, in CBOR.
  const cose = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), Buffer.from(jwk.x!, 'base64url'),
    Buffer.from([0x22, 0x58, 0x20]), Buffer.from(jwk.y!, 'base64url'),
  ]);
  const credentialIds = Array.from({ length: users }, () => b64(crypto.getRandomValues(new Uint8Array(16))));
  return { credentialIds, publicKey: b64(cose), privateKey: pair.privateKey };
}

function derSignature(raw: Uint8Array): Buffer {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b[i]! & 0x80 ? Buffer.concat([Buffer.from([0]), b.slice(i)]) : Buffer.from(b.slice(i));
    return Buffer.concat([Buffer.from([2, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.slice(0, 32)), int(raw.slice(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** Answers the login page's passkey challenge (its html) as user `i`'s credential: the POST the page's script makes. */
export async function passkeyLoginSpec(issuer: string, html: string, passkey: BenchPasskey, i: number): Promise<RequestSpec> {
  const field = (pattern: RegExp) => {
    const match = pattern.exec(html);
    if (!match) throw new Error(`no ${pattern} on the login page`);
    return match[1]!;
  };
  const tx = field(/name="tx" value="([^"]+)"/);
  const sealed = field(/name="passkey_challenge" value="([^"]+)"/);
  const challenge = field(/data-challenge="([^"]+)"/);
  const url = new URL(issuer);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: url.origin, crossOrigin: false }));
  // rpIdHash, flags UP|UV, counter 0.
  const authenticatorData = Buffer.concat([createHash('sha256').update(url.hostname).digest(), Buffer.from([0x05, 0, 0, 0, 0])]);
  const message = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, passkey.privateKey, message));
  const credential = JSON.stringify({
    id: passkey.credentialIds[i % passkey.credentialIds.length], clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authenticatorData), signature: b64(derSignature(raw)), userHandle: null,
  });
  return {
    method: 'POST', url: `${issuer}/login`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url.origin },
    body: new URLSearchParams({ tx, method: 'passkey', passkey_challenge: sealed, credential }).toString(),
  };
}
