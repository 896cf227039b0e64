// The OAuth error code a synchronous protocol function throws, for unit tests of src/oauth/.
import { OAuthError } from '../../src/oauth/errors.ts';

/** The `error` code of the OAuthError `fn` throws, or null when it returns; any other error is rethrown. */
export function oauthErrorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof OAuthError) return err.code;
    throw err;
  }
}
