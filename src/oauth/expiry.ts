// When issued tokens expire: one computation from config, for the grants' records and the tokens' exp claims.
import type { Config } from '../config.ts';

export interface Expiry {
  accessToken: number;
  /** The id_token's exp (OIDC Core §2). */
  idToken: number;
  /** A new refresh token's idle expiry, never past its family's (RFC 9700 §4.14.2). */
  refreshToken: number;
  /** The refresh family's absolute expiry: rotation never extends it. */
  refreshFamily: number;
}

export type Lifetimes = Pick<Config, 'accessTokenTtlSeconds' | 'idTokenTtlSeconds' | 'refreshTokenIdleTtlSeconds' | 'refreshTokenAbsoluteTtlSeconds'>;

export function expiryFrom(config: Lifetimes, now: number): Expiry {
  return {
    accessToken: now + config.accessTokenTtlSeconds,
    idToken: now + config.idTokenTtlSeconds,
    refreshToken: now + Math.min(config.refreshTokenIdleTtlSeconds, config.refreshTokenAbsoluteTtlSeconds),
    refreshFamily: now + config.refreshTokenAbsoluteTtlSeconds,
  };
}
