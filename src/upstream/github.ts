// GitHub: OAuth 2.0 plus its REST user API, not OpenID Connect (docs.github.com: "Authorizing OAuth apps",
// "Get the authenticated user", "List email addresses for the authenticated user").
import {
  authorizationCodeGrantRequest, ClientSecretPost, processAuthorizationCodeResponse, protectedResourceRequest,
  type AuthorizationServer, type Client,
} from 'oauth4webapi';
import type { UpstreamProvider } from '../store/upstream-providers.ts';
import { identityFromGithub, keptTokens, type UpstreamIdentity } from './identity.ts';
import { githubApiBase, requestOptions } from './server.ts';

// GitHub's API refuses requests without a User-Agent; the version header pins the documented response shape.
const API_HEADERS = { Accept: 'application/vnd.github+json', 'User-Agent': 'edge-oidc', 'X-GitHub-Api-Version': '2022-11-28' };

async function getJson(p: UpstreamProvider, token: string, path: string): Promise<unknown> {
  const response = await protectedResourceRequest(token, 'GET', new URL(`${githubApiBase(p)}${path}`), new Headers(API_HEADERS), null, requestOptions(p));
  if (response.status !== 200) throw new Error(`GitHub ${path} answered ${response.status}`);
  return response.json();
}

export async function fetchGithubIdentity(
  p: UpstreamProvider, server: AuthorizationServer, client: Client, secret: string, callback: URLSearchParams, redirectUri: string, verifier: string,
): Promise<UpstreamIdentity> {
  const options = requestOptions(p);
  const response = await authorizationCodeGrantRequest(server, client, ClientSecretPost(secret), callback, redirectUri, verifier, options);
  const tokens = await processAuthorizationCodeResponse(server, client, response);
  const [user, emails] = await Promise.all([getJson(p, tokens.access_token, '/user'), getJson(p, tokens.access_token, '/user/emails')]);
  // The stable identity is the numeric id; the login can be renamed and then taken by someone else.
  if (typeof user !== 'object' || user === null || !Number.isSafeInteger((user as { id?: unknown }).id)) throw new Error('GitHub /user has no numeric id');
  return { ...identityFromGithub(p, user as Record<string, unknown>, emails), tokens: keptTokens(tokens) };
}
