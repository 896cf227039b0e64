// The last step (RFC 6749 §4.1.2, RFC 9207): issue the authorization code and redirect back to the client.
import type { Context } from 'hono';
import { ACCOUNT_PATH, isAccountClient } from '../account/client.ts';
import { nowSeconds } from '../clock.ts';
import { AUTHORIZATION_CODE_BYTES, CODE_TTL_SECONDS } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { buildRedirectUrl } from '../oauth/respond.ts';
import { saveCode } from '../store/codes.ts';
import type { Journey } from './journey.ts';

async function issueCode(c: Context<AppEnv>, { request, session }: Journey): Promise<string> {
  const code = randomToken(AUTHORIZATION_CODE_BYTES);
  const now = nowSeconds();
  await saveCode(c.env.CODES, await digestToken(code), {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope.join(' '),
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    userId: session.userId,
    authTime: session.authTime,
    sessionIdHash: session.idHash,
    idTokenClaims: request.idTokenClaims,
    amr: session.amr,
    acr: request.acr ? session.acr : null,
    resources: request.resources ?? [],
    expiresAt: now + CODE_TTL_SECONDS,
  });
  recordAudit(c, { type: 'code.issued', outcome: 'success', userId: session.userId, clientId: request.clientId });
  return code;
}

/** 302 after /authorize's GET, 303 after a POST so the browser follows with a GET. */
export async function finish(c: Context<AppEnv>, journey: Journey): Promise<Response> {
  // The provider's own account page needs no code: the session it now holds is what it reads.
  if (isAccountClient(journey.client.clientId)) return c.redirect(ACCOUNT_PATH, 303);
  const code = await issueCode(c, journey);
  const { request } = journey;
  const url = buildRedirectUrl(request.redirectUri, { code, state: request.state, iss: c.get('services').config.issuer });
  return c.redirect(url, c.req.method === 'GET' ? 302 : 303);
}
