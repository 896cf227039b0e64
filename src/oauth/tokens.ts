// Minting tokens: the OIDC id_token (Core §2), the RFC 9068 JWT access token, and the token response.
import { computeAtHash, signAccessToken, signIdToken } from '../crypto/jwt.ts';
import type { Services } from '../services.ts';
import type { Client } from '../store/clients.ts';
import type { User } from '../store/users.ts';
import { claimsForUser, releasableClaims } from './claims.ts';
import { OAuthError } from './errors.ts';
import { expiryFrom } from './expiry.ts';
import { tokenResources } from './resources.ts';

export interface AccessTokenGrant {
  /** The user's id, or the client_id for client credentials (RFC 9068 §2.2). */
  subject: string;
  client: Client;
  scope: string[];
  /** The resources granted (RFC 8707); none means the client's audience. */
  resources: string[];
  authTime: number | null;
  jti: string;
  now: number;
}

/** One audience as a string, several as an array (RFC 7519 §4.1.3). */
function audienceClaim(list: string[]): string | string[] {
  return list.length === 1 ? list[0]! : list;
}

/**
 * RFC 9068 §2.2 / RFC 9700 §4.9 / RFC 8707: the resources granted (by default the client's audience), joined
 * by the issuer (so /userinfo accepts it) only when the user granted openid. A user token with none is the
 * issuer's alone. A client-credentials token (no user, authTime null) never names the issuer, so it needs a
 * resource or a registered audience (docs/decisions.md).
 */
export function accessTokenAudience(issuer: string, g: AccessTokenGrant): string | string[] {
  const resources = tokenResources(g.resources, g.client);
  if (g.authTime === null) {
    if (resources.length === 0) {
      throw new OAuthError('unauthorized_client', 'client_credentials needs a resource or a registered audience (client update ID --audience URI)');
    }
    return audienceClaim(resources);
  }
  if (!g.scope.includes('openid')) return resources.length > 0 ? audienceClaim(resources) : issuer;
  return audienceClaim([...resources, issuer]);
}

export function mintAccessToken(services: Services, g: AccessTokenGrant): Promise<string> {
  const { config, keys } = services;
  return signAccessToken(keys, config.accessTokenSigningAlg, {
    iss: config.issuer,
    sub: g.subject,
    aud: accessTokenAudience(config.issuer, g),
    client_id: g.client.clientId,
    ...(g.scope.length > 0 ? { scope: g.scope.join(' ') } : {}),
    ...(g.authTime !== null ? { auth_time: g.authTime } : {}),
    jti: g.jti,
    iat: g.now,
    exp: expiryFrom(config, g.now).accessToken,
  });
}

export interface UserGrant {
  client: Client;
  user: User;
  scope: string[];
  resources: string[];
  authTime: number;
  /** Only on the code exchange: OIDC Core §12.2 says a refreshed id_token has no nonce. */
  nonce: string | null;
  idTokenClaims: string[];
  /** How the user authenticated (RFC 8176), kept from the session that started the grant. */
  amr: string[];
  /** Stated only when the client asked for acr (OIDC Core §2, §3.1.2.1). */
  acr: string | null;
  accessTokenJti: string;
  now: number;
}

export interface IssuedTokens {
  /** The user the tokens act for; null for client credentials. */
  userId: string | null;
  accessToken: string;
  idToken: string | null;
  refreshToken: string | null;
  expiresIn: number;
  scope: string[];
}

/**
 * amr without our own marker, and the `idp` claim naming the upstream provider the user signed in with (issue 15):
 * an upstream sign-in's session carries "idp:NAME" in its amr list (src/upstream/callback.ts), a value RFC 8176 cannot
 * hold, so it travels with amr through codes, refresh tokens and device codes unchanged. Without trusted upstream
 * values the amr claim is left out: RFC 8176 has no "federated" value to state.
 */
export function authenticationClaims(amr: readonly string[]): { amr?: string[]; idp?: string } {
  const idp = amr.find((m) => m.startsWith('idp:'))?.slice(4);
  const own = amr.filter((m) => !m.startsWith('idp:'));
  return { ...(own.length > 0 ? { amr: own } : {}), ...(idp ? { idp } : {}) };
}

/** The access token, and the id_token when openid was granted. */
export async function mintUserTokens(services: Services, g: UserGrant, refreshToken: string | null): Promise<IssuedTokens> {
  const { config, keys } = services;
  const accessToken = await mintAccessToken(services, {
    subject: g.user.id, client: g.client, scope: g.scope, resources: g.resources, authTime: g.authTime, jti: g.accessTokenJti, now: g.now,
  });
  let idToken: string | null = null;
  if (g.scope.includes('openid')) {
    idToken = await signIdToken(keys, g.client.idTokenSignedResponseAlg, {
      ...claimsForUser(g.user, releasableClaims(g.idTokenClaims, g.scope)),
      iss: config.issuer,
      sub: g.user.id,
      aud: g.client.clientId,
      azp: g.client.clientId,
      exp: expiryFrom(config, g.now).idToken,
      iat: g.now,
      auth_time: g.authTime,
      ...authenticationClaims(g.amr),
      ...(g.acr !== null ? { acr: g.acr } : {}),
      ...(g.nonce !== null ? { nonce: g.nonce } : {}),
      at_hash: await computeAtHash(accessToken),
    });
  }
  return { userId: g.user.id, accessToken, idToken, refreshToken, expiresIn: config.accessTokenTtlSeconds, scope: g.scope };
}

/** RFC 6749 §5.1. */
export function tokenResponseBody(t: IssuedTokens): Record<string, string | number> {
  return {
    access_token: t.accessToken,
    token_type: 'Bearer',
    expires_in: t.expiresIn,
    ...(t.idToken ? { id_token: t.idToken } : {}),
    ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
    // RFC 6749 §5.1: what was granted; a plain OAuth request with no scope was granted none.
    ...(t.scope.length > 0 ? { scope: t.scope.join(' ') } : {}),
  };
}
