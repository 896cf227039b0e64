// The WebAuthn L3 verifier against real responses recorded from Chromium's virtual authenticator
// (test/node/browser/record-webauthn.ts), then against hostile variations of them.
import { fromBase64url as bytes } from '../../src/crypto/encoding.ts';
import { describe, expect, it } from 'vitest';
import { derToRawEcdsa } from '../../src/crypto/webauthn.ts';
import { WebAuthnError, type WebAuthnFailure } from '../../src/webauthn/errors.ts';
import { readPostedAssertion, readPostedRegistration } from '../../src/webauthn/response.ts';
import { type Expected, verifyAssertion, verifyRegistration } from '../../src/webauthn/verify.ts';
import es256 from '../fixtures/webauthn/chromium-es256.json';
import eddsa from '../fixtures/webauthn/chromium-eddsa.json';
import rs256 from '../fixtures/webauthn/chromium-rs256.json';
import { cbor, type Cbor, SoftAuthenticator } from '../helpers/webauthn.ts';

type Fixture = typeof es256;
const FIXTURES: [string, Fixture, number][] = [['ES256', es256, -7], ['EdDSA', eddsa, -8], ['RS256', rs256, -257]];

const posted = (credential: object) => new URLSearchParams({ credential: JSON.stringify(credential) });
const expected = (f: Fixture, challenge: string, over: Partial<Expected> = {}): Expected => ({ origin: f.origin, rpId: f.rpId, challenge, userVerification: true, ...over });

async function registered(f: Fixture) {
  return verifyRegistration(readPostedRegistration(posted(f.registration.credential)), expected(f, f.registration.challenge));
}

async function reason(promise: Promise<unknown>): Promise<WebAuthnFailure | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (err instanceof WebAuthnError) return err.reason;
    throw err;
  }
}

/** The recorded assertion with its authenticator data changed by `edit` (flags at byte 32, counter at 33-36). */
function withAuthData(f: Fixture, edit: (d: Uint8Array) => void) {
  const a = readPostedAssertion(posted(f.assertions[0]!.credential));
  const authenticatorData = a.authenticatorData.slice();
  edit(authenticatorData);
  return { ...a, authenticatorData };
}

describe.each(FIXTURES)('recorded %s responses', (_alg, f, alg) => {
  it('verify: the registration (attestation none, UV, the key and its algorithm), then two assertions in order', async () => {
    const credential = await registered(f);
    expect(credential).toMatchObject({ id: f.registration.credential.id, algorithm: alg, signCount: 1 });
    expect(credential.aaguid).toMatch(/^[0-9a-f]{32}$/);
    const [first, second] = f.assertions;
    const one = await verifyAssertion(readPostedAssertion(posted(first!.credential)), expected(f, first!.challenge), { publicKey: credential.publicKey, signCount: credential.signCount });
    expect(one.signCount).toBe(2);
    const two = await verifyAssertion(readPostedAssertion(posted(second!.credential)), expected(f, second!.challenge), { publicKey: credential.publicKey, signCount: one.signCount });
    expect(two.signCount).toBe(3);
    expect(new TextDecoder().decode(readPostedAssertion(posted(first!.credential)).userHandle!)).toBe(f.userHandle);
  });

  it('refuse: wrong origin, wrong RP ID, another challenge, the other ceremony type', async () => {
    const reg = readPostedRegistration(posted(f.registration.credential));
    expect(await reason(verifyRegistration(reg, expected(f, f.registration.challenge, { origin: 'https://evil.example' })))).toBe('origin');
    expect(await reason(verifyRegistration(reg, expected(f, f.registration.challenge, { origin: `${f.origin}:443` })))).toBe('origin');
    expect(await reason(verifyRegistration(reg, expected(f, f.registration.challenge, { rpId: 'example.test' })))).toBe('rp_id');
    expect(await reason(verifyRegistration(reg, expected(f, f.assertions[0]!.challenge)))).toBe('challenge');
    const { publicKey } = await registered(f);
    const a = readPostedAssertion(posted(f.assertions[0]!.credential));
    const stored = { publicKey, signCount: 1 };
    expect(await reason(verifyAssertion(a, expected(f, f.assertions[0]!.challenge, { origin: 'http://id.example.test' }), stored))).toBe('origin');
    expect(await reason(verifyAssertion(a, expected(f, f.assertions[0]!.challenge, { rpId: 'other.example.test' }), stored))).toBe('rp_id');
    // A replayed challenge: the assertion answers one challenge, the server expects the next.
    expect(await reason(verifyAssertion(a, expected(f, f.assertions[1]!.challenge), stored))).toBe('challenge');
    const asRegistration = { clientDataJSON: a.clientDataJSON, attestationObject: reg.attestationObject };
    expect(await reason(verifyRegistration(asRegistration, expected(f, f.assertions[0]!.challenge)))).toBe('type');
  });

  it('refuse: a counter regression, UV missing where required, UP missing, a tampered signature, another key', async () => {
    const { publicKey } = await registered(f);
    const challenge = f.assertions[0]!.challenge;
    const a = readPostedAssertion(posted(f.assertions[0]!.credential));
    expect(await reason(verifyAssertion(a, expected(f, challenge), { publicKey, signCount: 2 }))).toBe('counter');
    expect(await reason(verifyAssertion(a, expected(f, challenge), { publicKey, signCount: 9 }))).toBe('counter');
    const noUv = withAuthData(f, (d) => { d[32]! &= ~0x04; });
    expect(await reason(verifyAssertion(noUv, expected(f, challenge), { publicKey, signCount: 1 }))).toBe('user_verification');
    // Where UV is not required (a second factor), clearing the flag breaks the signature instead.
    expect(await reason(verifyAssertion(noUv, expected(f, challenge, { userVerification: false }), { publicKey, signCount: 1 }))).toBe('signature');
    expect(await reason(verifyAssertion(withAuthData(f, (d) => { d[32]! &= ~0x01; }), expected(f, challenge), { publicKey, signCount: 1 }))).toBe('user_presence');
    expect(await reason(verifyAssertion(withAuthData(f, (d) => { d[36]! ^= 0x40; }), expected(f, challenge), { publicKey, signCount: 1 }))).toBe('signature');
    const signature = a.signature.slice();
    signature[signature.length - 3]! ^= 0x01;
    expect(await reason(verifyAssertion({ ...a, signature }, expected(f, challenge), { publicKey, signCount: 1 }))).toBe('signature');
    const other = await SoftAuthenticator.create();
    expect(await reason(verifyAssertion(a, expected(f, challenge), { publicKey: other.publicKey, signCount: 1 }))).toBe('signature');
  });
});

describe('hostile registrations and encodings', () => {
  it('refuses keys of algorithms it does not verify, and malformed input without throwing anything else', async () => {
    const es384 = (await SoftAuthenticator.create()).withCoseKey(cbor(new Map<Cbor, Cbor>([[1, 2], [3, -35], [-1, 2], [-2, new Uint8Array(48)], [-3, new Uint8Array(48)]])));
    const challenge = 'A'.repeat(43);
    const exp: Expected = { origin: 'https://id.example.test', rpId: 'id.example.test', challenge, userVerification: true };
    expect(await reason(verifyRegistration(readPostedRegistration(posted(JSON.parse(await es384.register(challenge)) as object)), exp))).toBe('algorithm');
    for (const credential of [{}, { clientDataJSON: 'e30', attestationObject: 'oA' }, { clientDataJSON: '%%', attestationObject: '' }]) {
      expect(await reason(Promise.resolve().then(() => verifyRegistration(readPostedRegistration(posted(credential)), exp)))).toBe('malformed');
    }
    expect(await reason(Promise.resolve().then(() => readPostedAssertion(new URLSearchParams({ credential: '{"id":"AA","clientDataJSON":"A"}' }))))).toBe('malformed');
  });

  it('converts DER ECDSA signatures to r||s, refusing malformed ones', () => {
    const der = bytes('MEQCIB6Ne7k5aXa6B6YBvEQZ9-sjyVrb0GW4Y3A2UiRb3uW3AiBGR6_xWJ4oIlrvtjHmOWxN63Rr5a1R4zL2qP8gR3v4bA');
    expect(derToRawEcdsa(der)?.byteLength).toBe(64);
    expect(derToRawEcdsa(der.slice(0, -1))).toBeNull();
    expect(derToRawEcdsa(new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]))?.slice(30, 34)).toEqual(new Uint8Array([0, 1, 0, 0]));
    expect(derToRawEcdsa(new Uint8Array([0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]))).toBeNull();
    expect(derToRawEcdsa(new Uint8Array([0x30, 0x25, 0x02, 0x22, ...new Uint8Array(34), 0x02, 0x01, 0x01]))).toBeNull();
  });
});
