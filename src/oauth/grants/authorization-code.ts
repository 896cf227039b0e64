// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3): check, redeem once, mint.
import { MAX_REDIRECT_URI_CHARS } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import type { Client } from '../../store/clients.ts';
import { deleteCode, readCode, redeemCode, revokeReplayedCode, type CodePayload, type RedemptionResult } from '../../store/codes.ts';
import type { User } from '../../store/users.ts';
import { nowSeconds } from '../../clock.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { verifyPkce } from '../pkce.ts';
import { narrowResources, readResources, tokenResources } from '../resources.ts';
import { mintUserTokens, type IssuedTokens } from '../tokens.ts';
import { activeUser, planIssue, rejectReplay, startRefreshFamily, type NewFamily, type PlannedIssue } from './common.ts';
import type { GrantContext } from './context.ts';

export async function exchangeAuthorizationCode(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const request = readCodeRequest(params);
  const issue = planIssue(ctx, nowSeconds());
  const codeHash = await digestToken(request.code);
  const payload = await readCode(ctx.kv, codeHash);
  if (!payload) return rejectReplayedCode(ctx, client, codeHash, issue.now, 'the authorization code is invalid, expired or already used');
  checkCodeClient(payload, client);
  checkCodeExpiry(payload, issue.now);
  checkRedirectUri(payload, request.redirectUri);
  await verifyPkce(request.verifier, payload.codeChallenge);
  const granted = tokenResources(payload.resources ?? [], client);
  const resources = narrowResources(request.resources, granted);

  const scope = payload.scope.split(' ').filter(Boolean);
  const refresh = await startRefreshFamily(issue, client, scope, {
    familyId: codeHash, userId: payload.userId, scope: payload.scope, sessionIdHash: payload.sessionIdHash,
    authTime: payload.authTime, amr: payload.amr, acr: payload.acr, resources: granted,
  });
  const redemption = await redeemOnce(ctx, client, codeHash, payload, issue, refresh);
  const user = checkUserAndSession(redemption);

  ctx.afterResponse(deleteCode(ctx.kv, codeHash));
  ctx.events.record({ type: 'code.redeemed', outcome: 'success', userId: user.id, clientId: client.clientId });
  return mintUserTokens(ctx.services, {
    client, user, scope, resources, authTime: payload.authTime, nonce: payload.nonce, idTokenClaims: payload.idTokenClaims,
    amr: payload.amr, acr: payload.acr, accessTokenJti: issue.accessTokenJti, now: issue.now,
  }, refresh?.token ?? null);
}

interface CodeRequest {
  code: string;
  redirectUri: string;
  verifier: string | undefined;
  /** RFC 8707 §2.2: a subset of the resources granted at /authorize; none keeps them all. */
  resources: string[];
}

/** RFC 6749 §4.1.3's parameters, all read (and their lengths checked) before the code is looked up. */
function readCodeRequest(params: RequestParams): CodeRequest {
  const code = params.require('code', 256);
  const redirectUri = params.require('redirect_uri', MAX_REDIRECT_URI_CHARS);
  return { code, redirectUri, verifier: params.get('code_verifier', 256), resources: readResources(params) };
}

function checkCodeClient(payload: CodePayload, client: Client): void {
  if (payload.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'the authorization code was issued to another client');
}

/** KV's TTL is not exact (a cached read may outlive it), so the payload carries its own expiry. */
function checkCodeExpiry(payload: CodePayload, now: number): void {
  if (payload.expiresAt < now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
}

/** RFC 6749 §4.1.3: identical to the redirect_uri of the authorization request. */
function checkRedirectUri(payload: CodePayload, redirectUri: string): void {
  if (payload.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
}

/** One D1 batch decides which request redeems the code; every other one is a replay. */
async function redeemOnce(
  ctx: GrantContext, client: Client, codeHash: string, payload: CodePayload, issue: PlannedIssue, refresh: NewFamily | null,
): Promise<RedemptionResult> {
  const result = await redeemCode(ctx.db, {
    codeHash, clientId: client.clientId, clientSecretHash: client.secretHash, userId: payload.userId,
    sessionIdHash: payload.sessionIdHash, authTime: payload.authTime, accessTokenJti: issue.accessTokenJti,
    accessTokenExpiresAt: issue.expiry.accessToken, now: issue.now, refreshToken: refresh?.record ?? null,
  });
  // The claim is guarded by the same check: a rotated or deleted secret leaves the code unredeemed.
  if (!result.clientUnchanged) throw changedClientError(client.clientId);
  if (!result.redeemed) return rejectReplayedCode(ctx, client, codeHash, issue.now, 'the authorization code has already been used');
  return result;
}

/** No tokens for a user disabled, or a session ended (logout, new password), since the code was issued. */
function checkUserAndSession(result: RedemptionResult): User {
  const user = activeUser(result.user);
  if (result.sessionEnded) throw new OAuthError('invalid_grant', 'the session that issued this code has ended');
  return user;
}

function rejectReplayedCode(ctx: GrantContext, client: Client, codeHash: string, now: number, description: string): Promise<never> {
  return rejectReplay(ctx, {
    event: 'code.replay', detail: 'tokens from the first redemption revoked', description, clientId: client.clientId,
    revoke: () => revokeReplayedCode(ctx.db, codeHash, now),
  });
}
