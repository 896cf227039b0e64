// What the grants share: the access token planned before its batch, a new refresh family, replay refusal.
import { REFRESH_TOKEN_BYTES } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Client } from '../../store/clients.ts';
import type { NewRefreshToken } from '../../store/refresh-tokens.ts';
import type { User } from '../../store/users.ts';
import { OAuthError } from '../errors.ts';
import { expiryFrom, type Expiry } from '../expiry.ts';
import type { GrantContext } from './context.ts';

/** The access token's jti and expiry, fixed before the batch that records them so revocation can find it. */
export interface PlannedIssue {
  now: number;
  accessTokenJti: string;
  expiry: Expiry;
}

export function planIssue(ctx: GrantContext, now: number): PlannedIssue {
  return { now, accessTokenJti: randomToken(16), expiry: expiryFrom(ctx.services.config, now) };
}

/** Who and what a new refresh family is for, carried unchanged by every rotation. */
export type FamilyStart = Pick<NewRefreshToken, 'familyId' | 'userId' | 'scope' | 'sessionIdHash' | 'authTime' | 'amr' | 'acr' | 'resources'>;

export interface NewFamily {
  token: string;
  record: NewRefreshToken;
}

/**
 * Whether a grant gets a refresh token, only ever for a client registered for the refresh_token grant: OIDC
 * Core §11 asks for offline_access in an OpenID request; a plain OAuth 2.0 request (no openid) gets one
 * without it, as RFC 6749 §1.5 leaves to the server and MCP clients expect (docs/decisions.md).
 */
export function issuesRefreshToken(client: Client, scope: string[]): boolean {
  if (!client.grantTypes.includes('refresh_token')) return false;
  return scope.includes('offline_access') || !scope.includes('openid');
}

/** The first refresh token of a family, or null (issuesRefreshToken). It lands only if the grant's batch wins. */
export async function startRefreshFamily(issue: PlannedIssue, client: Client, scope: string[], start: FamilyStart): Promise<NewFamily | null> {
  if (!issuesRefreshToken(client, scope)) return null;
  const token = randomToken(REFRESH_TOKEN_BYTES);
  const record: NewRefreshToken = {
    ...start,
    tokenHash: await digestToken(token),
    clientId: client.clientId,
    createdAt: issue.now,
    expiresAt: issue.expiry.refreshToken,
    familyExpiresAt: issue.expiry.refreshFamily,
    accessTokenJti: issue.accessTokenJti,
    accessTokenExpiresAt: issue.expiry.accessToken,
  };
  return { token, record };
}

export interface Replay {
  event: 'code.replay' | 'refresh.reuse_detected';
  detail: string;
  description: string;
  clientId: string;
  /** Revokes what the first use issued; returns that use's user, or null when there was none. */
  revoke(): Promise<{ userId: string } | null>;
}

/**
 * A single-use credential presented again means someone holds a copy: revoke what its first use issued
 * (RFC 6749 §4.1.2 for codes, RFC 9700 §4.14.2 for refresh tokens), record it, and refuse.
 */
export async function rejectReplay(ctx: GrantContext, replay: Replay): Promise<never> {
  const first = await replay.revoke();
  if (first) ctx.events.record({ type: replay.event, outcome: 'failure', userId: first.userId, clientId: replay.clientId, detail: replay.detail });
  throw new OAuthError('invalid_grant', replay.description);
}

/** The user a grant acts for, read in the grant's own batch: gone or disabled since means no tokens. */
export function activeUser(user: User | null): User {
  if (!user || user.disabled) throw new OAuthError('invalid_grant', 'the user is no longer active');
  return user;
}
