// grant_type=client_credentials (RFC 6749 §4.4): a confidential client acting for itself; access token only.
import type { Client } from '../../store/clients.ts';
import { nowSeconds } from '../../clock.ts';
import { isClientUnchanged } from '../../store/client-check.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { grantResources, readResources } from '../resources.ts';
import { grantClientScopes } from '../scopes.ts';
import { mintAccessToken, type IssuedTokens } from '../tokens.ts';
import { planIssue } from './common.ts';
import type { GrantContext } from './context.ts';

export async function issueClientCredentials(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  // RFC 6749 §4.4: only confidential clients.
  if (client.tokenEndpointAuthMethod === 'none') throw new OAuthError('unauthorized_client', 'public clients cannot use client credentials');
  const scope = grantClientScopes(params.get('scope'), client.scopes);
  // RFC 8707 §2: the same resource rules as for a user's grant; none asked, the client's audience.
  const resources = grantResources(readResources(params), client, ctx.services.config.allowedResources);
  // Nothing is written here, so one primary read confirms the cached secret (docs/decisions.md).
  if (!(await isClientUnchanged(ctx.db, client))) throw changedClientError(client.clientId);
  const issue = planIssue(ctx, nowSeconds());
  const accessToken = await mintAccessToken(ctx.services, { subject: client.clientId, client, scope, resources, authTime: null, jti: issue.accessTokenJti, now: issue.now });
  return { userId: null, accessToken, idToken: null, refreshToken: null, expiresIn: ctx.services.config.accessTokenTtlSeconds, scope };
}
