// A software authenticator for workerd tests (ES256, or RS256/EdDSA keys): registrations and assertions as the
// page's script posts them, with knobs for hostile answers. Real recorded responses are in test/fixtures/webauthn/.
import { env } from 'cloudflare:workers';
import { base64url } from 'jose';
import { insertPasskey, type NewPasskey } from '../../src/store/passkeys.ts';
import { form, ISSUER } from './fixtures.ts';

const enc = new TextEncoder();

// Minimal CBOR (RFC 8949) for what authenticators emit: maps, negative and positive ints, byte and text strings.
function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
  return [(major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}
export type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
export function cbor(value: Cbor): Uint8Array {
  if (typeof value === 'number') return new Uint8Array(value >= 0 ? head(0, value) : head(1, -1 - value));
  if (typeof value === 'string') return concat(new Uint8Array(head(3, enc.encode(value).length)), enc.encode(value));
  if (value instanceof Uint8Array) return concat(new Uint8Array(head(2, value.length)), value);
  return concat(new Uint8Array(head(5, value.size)), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)]));
}
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
const sha = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));

/** WebCrypto's raw r||s as DER (what authenticators send for ES256). */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b[i]! & 0x80 ? concat(new Uint8Array([0]), b.slice(i)) : b.slice(i);
    return concat(new Uint8Array([2, v.length]), v);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

export interface Knobs {
  origin?: string;
  rpId?: string;
  type?: string;
  flags?: number;
  counter?: number;
  challenge?: string;
  crossOrigin?: boolean;
}

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export class SoftAuthenticator {
  readonly id = crypto.getRandomValues(new Uint8Array(16));
  counter = 0;
  private keys!: CryptoKeyPair;
  private cose!: Uint8Array;

  static async create(alg: 'ES256' | 'EdDSA' | 'RS256' = 'ES256'): Promise<SoftAuthenticator> {
    const a = new SoftAuthenticator();
    if (alg === 'ES256') {
      a.keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const jwk = await crypto.subtle.exportKey('jwk', a.keys.publicKey) as JsonWebKey;
      a.cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, base64url.decode(jwk.x!)], [-3, base64url.decode(jwk.y!)]]));
    } else if (alg === 'EdDSA') {
      a.keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', a.keys.publicKey) as ArrayBuffer);
      a.cose = cbor(new Map<Cbor, Cbor>([[1, 1], [3, -8], [-1, 6], [-2, raw]]));
    } else {
      a.keys = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const jwk = await crypto.subtle.exportKey('jwk', a.keys.publicKey) as JsonWebKey;
      a.cose = cbor(new Map<Cbor, Cbor>([[1, 3], [3, -257], [-1, base64url.decode(jwk.n!)], [-2, base64url.decode(jwk.e!)]]));
    }
    return a;
  }

  get credentialId(): string {
    return base64url.encode(this.id);
  }

  get publicKey(): Uint8Array {
    return this.cose;
  }

  /** Replaces the COSE key it registers (e.g. an algorithm we do not verify). */
  withCoseKey(cose: Uint8Array): this {
    this.cose = cose;
    return this;
  }

  private clientData(type: string, challenge: string, k: Knobs): Uint8Array {
    return enc.encode(JSON.stringify({ type: k.type ?? type, challenge: k.challenge ?? challenge, origin: k.origin ?? ISSUER, crossOrigin: k.crossOrigin ?? false }));
  }

  private async authData(flags: number, k: Knobs, attested?: Uint8Array): Promise<Uint8Array> {
    const count = k.counter ?? this.counter;
    const header = concat(await sha(enc.encode(k.rpId ?? new URL(ISSUER).hostname)), new Uint8Array([k.flags ?? flags, (count >>> 24) & 255, (count >> 16) & 255, (count >> 8) & 255, count & 255]));
    return attested ? concat(header, attested) : header;
  }

  /** The `credential` field of a registration (navigator.credentials.create, attestation "none"). */
  async register(challenge: string, k: Knobs = {}): Promise<string> {
    const attested = concat(new Uint8Array(16), new Uint8Array([this.id.length >> 8, this.id.length & 255]), this.id, this.cose);
    const authData = await this.authData(FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.AT, k, attested);
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    const clientDataJSON = this.clientData('webauthn.create', challenge, k);
    return JSON.stringify({ id: this.credentialId, clientDataJSON: base64url.encode(clientDataJSON), attestationObject: base64url.encode(attestationObject), transports: ['internal'] });
  }

  /** The `credential` field of an assertion (navigator.credentials.get); the counter moves by one unless set. */
  async assert(challenge: string, k: Knobs & { userHandle?: string | null } = {}): Promise<string> {
    if (k.counter === undefined) this.counter += 1;
    const authenticatorData = await this.authData(FLAGS.UP | FLAGS.UV | FLAGS.BE, k);
    const clientDataJSON = this.clientData('webauthn.get', challenge, k);
    const message = concat(authenticatorData, await sha(clientDataJSON));
    const params = this.keys.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : this.keys.privateKey.algorithm.name;
    let signature: Uint8Array = new Uint8Array(await crypto.subtle.sign(params, this.keys.privateKey, message as Uint8Array<ArrayBuffer>));
    if (this.keys.privateKey.algorithm.name === 'ECDSA') signature = rawToDer(signature);
    const userHandle = k.userHandle === undefined ? null : k.userHandle;
    return JSON.stringify({
      id: this.credentialId, clientDataJSON: base64url.encode(clientDataJSON), authenticatorData: base64url.encode(authenticatorData),
      signature: base64url.encode(signature), userHandle: userHandle === null ? null : base64url.encode(enc.encode(userHandle)),
    });
  }
}

/** The WebAuthn block of a page: its challenge, and the sealed challenge and transaction its form posts. */
export function webauthnBlock(html: string): { challenge: string; sealed: string | null; tx: string | null; credentials: string[] } {
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? null;
  const passkeyForm = html.slice(html.indexOf('class="passkey"') >= 0 ? html.indexOf('class="passkey"') : 0);
  return {
    challenge: attr('data-challenge')!,
    sealed: /name="(?:passkey_)?challenge" value="([^"]+)"/.exec(html)?.[1] ?? null,
    tx: /name="tx" value="([^"]+)"/.exec(passkeyForm)?.[1] ?? null,
    credentials: JSON.parse((attr('data-credentials') ?? '[]').replaceAll('&quot;', '"')) as string[],
  };
}

/** Stores the authenticator's credential for the user, as a registration would. */
export async function addPasskey(userId: string, authenticator: SoftAuthenticator, overrides: Partial<NewPasskey> = {}): Promise<void> {
  const cose = authenticator.publicKey;
  await insertPasskey(env.DB, {
    credentialId: authenticator.credentialId, userId, publicKey: cose, algorithm: -7, signCount: authenticator.counter, transports: ['internal'],
    aaguid: '0'.repeat(32), backupEligible: true, backedUp: false, nickname: 'Test passkey', createdAt: Math.floor(Date.now() / 1000), ...overrides,
  });
}

/** Posts a passkey sign-in from a sign-in page's HTML, answered by the authenticator (knobs for hostile answers). */
export async function postPasskeyLogin(page: string, authenticator: SoftAuthenticator, knobs: Knobs & { userHandle?: string | null } = {}, action = '/login'): Promise<Response> {
  const block = webauthnBlock(page);
  const credential = await authenticator.assert(block.challenge, knobs);
  return form(action, { tx: block.tx!, method: 'passkey', passkey_challenge: block.sealed!, credential });
}
