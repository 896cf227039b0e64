// Why a client's metadata document cannot be used: invalid_client at the token endpoints, an error page at /authorize.
import { OAuthError } from '../oauth/errors.ts';

/** RFC 6749 §5.2: an unusable client identifier is invalid_client; before the redirect URI is trusted, a page. */
export class ClientMetadataError extends OAuthError {
  constructor(description: string) {
    super('invalid_client', description);
  }
}
