// OAuthError: the one error type for protocol failures, rendered as RFC 6749 §5.2 / RFC 6750 §3 JSON.
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type OAuthErrorCode =
  // RFC 6749 §4.1.2.1 and §5.2
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  // OIDC Core §3.1.2.6
  | 'interaction_required'
  | 'login_required'
  | 'account_selection_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
  // OpenID Connect Unmet Authentication Requirements 1.0 §2
  | 'unmet_authentication_requirements'
  // RFC 8707 §2
  | 'invalid_target'
  // RFC 8628 §3.5
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  // RFC 6750 §3.1
  | 'invalid_token'
  | 'insufficient_scope'
  // RFC 7591 §3.2.2
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

function statusFor(code: OAuthErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'invalid_client':
    case 'invalid_token':
      return 401;
    case 'insufficient_scope':
      return 403;
    case 'server_error':
      return 500;
    case 'temporarily_unavailable':
      return 503;
    default:
      return 400;
  }
}

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
function safeDescription(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

export class OAuthError extends HTTPException {
  readonly code: OAuthErrorCode;
  readonly description: string;
  /** Set where RFC 6749 §5.2 (Basic) or RFC 6750 §3 (Bearer) ask for a challenge. */
  wwwAuthenticate: string | null = null;
  /** Seconds a caller should wait before trying again (RFC 9110 §10.2.3), for throttled failures. */
  retryAfterSeconds: number | null = null;

  constructor(code: OAuthErrorCode, description: string) {
    super(statusFor(code), { message: description });
    this.code = code;
    this.description = safeDescription(description);
  }

  withChallenge(challenge: string): this {
    this.wwwAuthenticate = challenge;
    return this;
  }

  withRetryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }

  override getResponse(): Response {
    const headers = new Headers({
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    });
    if (this.wwwAuthenticate) headers.set('WWW-Authenticate', this.wwwAuthenticate);
    if (this.retryAfterSeconds !== null) headers.set('Retry-After', String(this.retryAfterSeconds));
    // Request values quoted in descriptions stay data: <, > and & are JSON-escaped, never raw markup.
    const body = JSON.stringify({ error: this.code, error_description: this.description }).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return new Response(body, {
      status: this.status,
      headers,
    });
  }
}

/** RFC 6750 §3: the Bearer challenge, with the error code when the request carried a token. */
export function bearerChallenge(realm: string, error?: OAuthError): string {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error.code}"`, `error_description="${error.description.replace(/"/g, "'")}"`);
  return `Bearer ${parts.join(', ')}`;
}
