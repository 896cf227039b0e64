// Records real authenticator responses from Chromium's virtual authenticator (CDP WebAuthn domain) into
// test/fixtures/webauthn/*.json, for the workerd verifier tests: `node test/node/browser/record-webauthn.ts`.
// The page is served by Playwright's router at the tests' issuer (https://id.example.test), so the responses carry
// that origin and RP ID; the challenges are fixed and written beside them.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './chromium.ts';

const ORIGIN = 'https://id.example.test';
const OUT = resolve(import.meta.dirname, '../../fixtures/webauthn');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

const browser = await launchChromium();
const context = await browser.newContext();
const page = await context.newPage();
await page.route(`${ORIGIN}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>recorder</title>' }));
await page.goto(`${ORIGIN}/`);
const cdp = await context.newCDPSession(page);
await cdp.send('WebAuthn.enable');
await cdp.send('WebAuthn.addVirtualAuthenticator', {
  options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
});

async function record(name: string, alg: number): Promise<void> {
  const challenges = { registration: b64(crypto.getRandomValues(new Uint8Array(32))), assertion: b64(crypto.getRandomValues(new Uint8Array(32))) };
  const result = await page.evaluate(async ({ challenges, alg }) => {
    const bytes = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
    const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const created = (await navigator.credentials.create({ publicKey: {
      challenge: bytes(challenges.registration), rp: { id: location.hostname, name: 'recorder' },
      user: { id: new TextEncoder().encode('recorded-user-id'), name: 'recorded', displayName: 'recorded' },
      pubKeyCredParams: [{ type: 'public-key', alg }], authenticatorSelection: { residentKey: 'required', userVerification: 'required' }, attestation: 'none',
    } })) as PublicKeyCredential;
    const r = created.response as AuthenticatorAttestationResponse;
    const registration = { id: created.id, clientDataJSON: b64(r.clientDataJSON), attestationObject: b64(r.attestationObject), transports: r.getTransports() };
    const assertions = [];
    for (const challenge of [challenges.assertion, challenges.registration]) {
      const got = (await navigator.credentials.get({ publicKey: { challenge: bytes(challenge), rpId: location.hostname, userVerification: 'required' } })) as PublicKeyCredential;
      const a = got.response as AuthenticatorAssertionResponse;
      assertions.push({ id: got.id, clientDataJSON: b64(a.clientDataJSON), authenticatorData: b64(a.authenticatorData), signature: b64(a.signature), userHandle: a.userHandle ? b64(a.userHandle) : null });
    }
    return { registration, assertions };
  }, { challenges, alg });
  const fixture = {
    recordedWith: 'Chromium virtual authenticator (CDP WebAuthn.addVirtualAuthenticator: ctap2, internal, resident key, UV)',
    origin: ORIGIN, rpId: new URL(ORIGIN).hostname, userHandle: 'recorded-user-id',
    registration: { challenge: challenges.registration, credential: result.registration },
    // The second assertion answers the registration's challenge, a second use of the same credential (its counter moved).
    assertions: [{ challenge: challenges.assertion, credential: result.assertions[0] }, { challenge: challenges.registration, credential: result.assertions[1] }],
  };
  writeFileSync(resolve(OUT, `${name}.json`), JSON.stringify(fixture, null, 2) + '\n');
  process.stdout.write(`wrote ${name}.json\n`);
}

try {
  await record('chromium-es256', -7);
  await record('chromium-eddsa', -8).catch((err: unknown) => process.stdout.write(`EdDSA not recorded: ${String(err).split('\n')[0]}\n`));
  await record('chromium-rs256', -257).catch((err: unknown) => process.stdout.write(`RS256 not recorded: ${String(err).split('\n')[0]}\n`));
} finally {
  await browser.close();
}
