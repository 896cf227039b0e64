// Minting tokens: the OIDC id_token (Core §2) and the RFC 9068 JWT access token.
import { computeAtHash, signAccessToken, signIdToken } from '../crypto/jwt.ts';
import type { Services } from '../services.ts';
import type { Client } from '../store/clients.ts';
import type { User } from '../store/users.ts';
import { claimsForUser } from './claims.ts';

export interface Grant {
  client: Client;
  user: User;
  scope: string[];
  authTime: number;
  nonce: string | null;
  idTokenClaims: string[];
  accessTokenJti: string;
  now: number;
}

export interface IssuedTokens {
  accessToken: string;
  idToken: string | null;
  expiresIn: number;
}

export function accessTokenExpiry(services: Services, now: number): number {
  return now + services.config.accessTokenTtlSeconds;
}

export async function mintTokens(services: Services, g: Grant): Promise<IssuedTokens> {
  const { config, keys } = services;
  const accessToken = await signAccessToken(keys, config.accessTokenSigningAlg, {
    iss: config.issuer,
    sub: g.user.id,
    aud: g.client.audience ?? config.issuer,
    client_id: g.client.clientId,
    scope: g.scope.join(' '),
    auth_time: g.authTime,
    jti: g.accessTokenJti,
    iat: g.now,
    exp: accessTokenExpiry(services, g.now),
  });
  let idToken: string | null = null;
  if (g.scope.includes('openid')) {
    const requested = claimsForUser(g.user, g.idTokenClaims);
    idToken = await signIdToken(keys, g.client.idTokenSignedResponseAlg, {
      ...requested,
      iss: config.issuer,
      sub: g.user.id,
      aud: g.client.clientId,
      azp: g.client.clientId,
      exp: g.now + config.idTokenTtlSeconds,
      iat: g.now,
      auth_time: g.authTime,
      ...(g.nonce !== null ? { nonce: g.nonce } : {}),
      at_hash: await computeAtHash(accessToken),
    });
  }
  return { accessToken, idToken, expiresIn: config.accessTokenTtlSeconds };
}
