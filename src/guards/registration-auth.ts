// Who may register (RFC 7591 §3: the policy and its initial access token) and who may manage a registration
// (RFC 7592 §3: that client's registration access token); both are Bearer tokens in the header (RFC 6750 §2.1).
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { digestToken, verifyClientSecret } from '../crypto/digest.ts';
import type { AppEnv } from '../env.ts';
import { bearerChallenge, OAuthError } from '../oauth/errors.ts';
import { isRegistrationTokenLive } from '../store/registration-tokens.ts';
import { findRegistration, type Registration } from '../store/registrations.ts';
import { countRegistration } from './registration-throttle.ts';

const MAX_CLIENT_ID_CHARS = 256;

function invalidToken(c: Context<AppEnv>, description: string): OAuthError {
  const err = new OAuthError('invalid_token', description);
  return err.withChallenge(bearerChallenge(c.get('services').config.issuer, err));
}

/** The Bearer token of the Authorization header (scheme case-insensitive), or null when there is none. */
function readBearer(c: Context<AppEnv>): string | null {
  const header = c.req.header('Authorization');
  if (header === undefined) return null;
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) throw invalidToken(c, 'the Authorization header is not a Bearer token');
  return match[1]!;
}

/**
 * POST /register under CLIENT_REGISTRATION=token or open. Token: a live initial access token, or 401
 * invalid_token (RFC 7591 §3 points to RFC 6750 §3). Open: anyone, counted per address, and public clients only
 * (the caller checks); an Authorization header is not consulted. Returns whether confidential clients are allowed.
 */
export async function admitRegistration(c: Context<AppEnv>): Promise<{ confidentialAllowed: boolean }> {
  if (c.get('services').config.registration.policy === 'open') {
    await countRegistration(c);
    return { confidentialAllowed: false };
  }
  const token = readBearer(c);
  if (token === null) throw invalidToken(c, 'an initial access token is required to register');
  // Refusals are not audited: unthrottled, they would let anyone flood the audit log (256-bit tokens are not guessed).
  if (!(await isRegistrationTokenLive(c.env.DB, await digestToken(token), nowSeconds()))) {
    throw invalidToken(c, 'the initial access token is invalid or expired');
  }
  return { confidentialAllowed: true };
}

/**
 * RFC 7592 §2: the registration access token of this client, compared in constant time with its stored digest.
 * An unknown client, an administrator's client and another client's token all answer 401 invalid_token, as
 * RFC 7592 §2.1 asks for a client that does not exist, so client ids cannot be probed.
 */
export async function authenticateRegistration(c: Context<AppEnv>, clientId: string): Promise<{ registration: Registration; token: string }> {
  const token = readBearer(c);
  if (token === null) throw invalidToken(c, 'a registration access token is required');
  const registration = clientId.length <= MAX_CLIENT_ID_CHARS ? await findRegistration(c.env.DB, clientId) : null;
  if (!registration || !(await verifyClientSecret(token, registration.tokenHash))) {
    throw invalidToken(c, 'the registration access token is not valid for this client');
  }
  return { registration, token };
}
