// Generates the Worker's secrets: a private JWKS (RS256 and ES256), a password pepper, a session secret and a data encryption key.
import { generateSigningJwk } from '../../src/crypto/keys.ts';
import { randomToken } from '../../src/crypto/random.ts';

/** The Worker's secrets (src/bindings.ts): `wrangler secret put` in production, .dev.vars locally. */
export const SECRET_NAMES = ['SIGNING_KEYS', 'PASSWORD_PEPPER', 'SESSION_SECRET', 'DATA_ENCRYPTION_KEY'] as const;

export async function generateSecrets(): Promise<Record<(typeof SECRET_NAMES)[number], string>> {
  const keys = [await generateSigningJwk('RS256'), await generateSigningJwk('ES256')];
  return {
    SIGNING_KEYS: JSON.stringify({ keys }),
    PASSWORD_PEPPER: `1:${randomToken(32)}`,
    SESSION_SECRET: randomToken(32),
    DATA_ENCRYPTION_KEY: `1:${randomToken(32)}`,
  };
}
