// The grants /token offers, keyed by the grant_type values discovery publishes (RFC 9700 §2.4: no password grant).
import { DEVICE_CODE_GRANT, type GRANT_TYPES_SUPPORTED } from '../../constants.ts';
import type { Client } from '../../store/clients.ts';
import type { RequestParams } from '../params.ts';
import type { IssuedTokens } from '../tokens.ts';
import { exchangeAuthorizationCode } from './authorization-code.ts';
import { issueClientCredentials } from './client-credentials.ts';
import type { GrantContext } from './context.ts';
import { exchangeDeviceCode } from './device-code.ts';
import { refreshTokens } from './refresh-token.ts';

export type GrantType = (typeof GRANT_TYPES_SUPPORTED)[number];
export type GrantHandler = (ctx: GrantContext, client: Client, params: RequestParams) => Promise<IssuedTokens>;

// `satisfies` makes a grant missing from either this table or GRANT_TYPES_SUPPORTED a compile error.
const GRANTS = {
  authorization_code: exchangeAuthorizationCode,
  refresh_token: refreshTokens,
  client_credentials: issueClientCredentials,
  [DEVICE_CODE_GRANT]: exchangeDeviceCode,
} satisfies Record<GrantType, GrantHandler>;

/** The handler for a grant_type from the request; own keys only, so `__proto__` or `constructor` finds nothing. */
export function findGrant(grantType: string): GrantHandler | undefined {
  return Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as GrantType] : undefined;
}
