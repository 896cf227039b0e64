// grant_type=refresh_token (RFC 6749 §6, OIDC Core §12, RFC 9700 §4.14.2): rotate once, detect reuse.
import { REFRESH_TOKEN_BYTES } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Client } from '../../store/clients.ts';
import { nowSeconds } from '../../clock.ts';
import { revokeFamily, rotateRefreshToken, type RefreshTokenRecord, type RotationResult } from '../../store/refresh-tokens.ts';
import { isLiveRefreshToken } from '../../store/refresh-token-row.ts';
import type { User } from '../../store/users.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { narrowResources, readResources, tokenResources } from '../resources.ts';
import { narrowScope, parseScope } from '../scopes.ts';
import { mintUserTokens, type IssuedTokens } from '../tokens.ts';
import { activeUser, planIssue, rejectReplay, type PlannedIssue } from './common.ts';
import type { GrantContext } from './context.ts';

interface RefreshRequest {
  presented: string;
  /** The scope parameter as sent (RFC 6749 §6); undefined keeps the granted scope. */
  requestedScope: string | undefined;
  /** The same, parsed for the rotation batch's guard; null when not sent. */
  narrowedScope: string[] | null;
  /** RFC 8707 §2.2: the resources asked for, a subset of the family's; none keeps them all. */
  resources: string[];
}

function readRefreshRequest(params: RequestParams): RefreshRequest {
  const presented = params.require('refresh_token', 256);
  const requestedScope = params.get('scope');
  const narrowedScope = requestedScope === undefined ? null : parseScope(requestedScope);
  return { presented, requestedScope, narrowedScope, resources: readResources(params) };
}

/** The scope and resources the new tokens get; a wider request throws (invalid_scope, invalid_target). */
function narrowGrant(request: RefreshRequest, previous: RefreshTokenRecord, client: Client) {
  const scope = narrowScope(request.requestedScope, previous.scope.split(' ').filter(Boolean));
  return { scope, resources: narrowResources(request.resources, tokenResources(previous.resources, client)) };
}

export async function refreshTokens(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const request = readRefreshRequest(params);
  const issue = planIssue(ctx, nowSeconds());
  const newToken = randomToken(REFRESH_TOKEN_BYTES);
  const result = await rotateOnce(ctx, client, request, issue, newToken);
  if (!result.clientUnchanged) throw changedClientError(client.clientId);
  const previous = checkOwnToken(result.previous, client);
  if (!result.rotated) return refuseUnrotated(ctx, client, previous, request, issue.now);
  const user = await activeUserOrRevoke(ctx, result, previous, issue.now);
  const { scope, resources } = narrowGrant(request, previous, client);
  return mintUserTokens(ctx.services, {
    client, user, scope, resources, authTime: previous.authTime, nonce: null, idTokenClaims: [],
    amr: previous.amr, acr: previous.acr, accessTokenJti: issue.accessTokenJti, now: issue.now,
  }, newToken);
}

/** One D1 batch marks the presented token used and inserts its successor; concurrent uses: one wins. */
async function rotateOnce(ctx: GrantContext, client: Client, request: RefreshRequest, issue: PlannedIssue, newToken: string): Promise<RotationResult> {
  return rotateRefreshToken(ctx.db, {
    oldHash: await digestToken(request.presented), newHash: await digestToken(newToken), clientId: client.clientId,
    clientSecretHash: client.secretHash, now: issue.now, idleTtlSeconds: ctx.services.config.refreshTokenIdleTtlSeconds,
    accessTokenJti: issue.accessTokenJti, accessTokenExpiresAt: issue.expiry.accessToken,
    requestedScope: request.narrowedScope, requestedResources: request.resources,
    defaultResources: tokenResources([], client),
  });
}

/** Another client's token is invalid_grant, not invalid_client: the client itself authenticated fine. */
function checkOwnToken(previous: RefreshTokenRecord | null, client: Client): RefreshTokenRecord {
  if (!previous || previous.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  return previous;
}

/** A user disabled or deleted since the family began: nothing more from it, including the successor just inserted. */
async function activeUserOrRevoke(ctx: GrantContext, result: RotationResult, previous: RefreshTokenRecord, now: number): Promise<User> {
  if (!result.user || result.user.disabled) await revokeFamily(ctx.db, previous.familyId, now);
  return activeUser(result.user);
}

/** The batch's guard refused the rotation: say why, and revoke the family when a used token came back. */
async function refuseUnrotated(ctx: GrantContext, client: Client, previous: RefreshTokenRecord, request: RefreshRequest, now: number): Promise<never> {
  const description = 'the refresh token is invalid, expired, revoked or already used';
  const live = isLiveRefreshToken(previous, now);
  // A wider scope or resource leaves the token unused (the batch's guard), so the client keeps it.
  if (live) narrowGrant(request, previous, client);
  if (previous.usedAt !== null && previous.revokedAt === null) {
    await rejectReplay(ctx, {
      event: 'refresh.reuse_detected', detail: 'family revoked', description, clientId: client.clientId,
      revoke: async () => {
        await revokeFamily(ctx.db, previous.familyId, now);
        return { userId: previous.userId };
      },
    });
  }
  throw new OAuthError('invalid_grant', description);
}
