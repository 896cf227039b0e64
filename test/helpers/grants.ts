// Requests the grant suites repeat: a refresh at /token, and /userinfo with a bearer token.
import { basic, call, form, type TestClient } from './fixtures.ts';

/** grant_type=refresh_token for a confidential client over Basic (RFC 6749 §6). */
export function refresh(client: TestClient, refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return form('/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { Authorization: basic(client.clientId, client.secret!) });
}

/** GET /userinfo with the access token as a Bearer credential (RFC 6750 §2.1). */
export function userinfo(accessToken: string): Promise<Response> {
  return call('/userinfo', { headers: { Authorization: `Bearer ${accessToken}` } });
}
