// A refresh_tokens row and the record the grants read from it.
export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  clientId: string;
  userId: string;
  scope: string;
  sessionIdHash: string | null;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  familyExpiresAt: number;
  accessTokenJti: string;
  accessTokenExpiresAt: number;
  /** RFC 8176 methods of the sign-in that started the family. */
  amr: string[];
  /** The acr level its id_tokens state; null when the client did not ask for acr. */
  acr: string | null;
  /** The resources (RFC 8707) its grant was given: a refresh may ask for a subset, never more. */
  resources: string[];
  usedAt: number | null;
  revokedAt: number | null;
}

/** Not yet rotated, revoked or expired: the one definition the grant and introspection share. */
export function isLiveRefreshToken(r: Pick<RefreshTokenRecord, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: number): boolean {
  return r.usedAt === null && r.revokedAt === null && r.expiresAt > now;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>;

export interface RefreshTokenRow {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  scope: string;
  session_id_hash: string | null;
  auth_time: number;
  created_at: number;
  expires_at: number;
  family_expires_at: number;
  access_token_jti: string;
  access_token_expires_at: number;
  amr: string;
  acr: string | null;
  used_at: number | null;
  revoked_at: number | null;
  resources: string;
}

export const REFRESH_TOKEN_COLUMNS =
  'token_hash, family_id, client_id, user_id, scope, session_id_hash, auth_time, created_at, expires_at, ' +
  'family_expires_at, access_token_jti, access_token_expires_at, amr, acr, used_at, revoked_at, resources';

export function toRefreshTokenRecord(r: RefreshTokenRow): RefreshTokenRecord {
  return {
    tokenHash: r.token_hash, familyId: r.family_id, clientId: r.client_id, userId: r.user_id, scope: r.scope,
    sessionIdHash: r.session_id_hash, authTime: r.auth_time, createdAt: r.created_at, expiresAt: r.expires_at,
    familyExpiresAt: r.family_expires_at, accessTokenJti: r.access_token_jti, accessTokenExpiresAt: r.access_token_expires_at,
    amr: JSON.parse(r.amr) as string[], acr: r.acr, usedAt: r.used_at, revokedAt: r.revoked_at,
    resources: JSON.parse(r.resources) as string[],
  };
}
