// What a function under test throws: the OAuthError (or its code) for unit tests of src/oauth/, any error for config.
import { OAuthError } from '../../src/oauth/errors.ts';

/** The error `fn` throws, or null when it returns. */
export function thrownBy(fn: () => unknown): Error | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err as Error;
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (err) {
    return err;
  }
}

function asOAuthError(err: unknown): OAuthError | null {
  if (err === null || err instanceof OAuthError) return err;
  throw err;
}

function expected(err: OAuthError | null): OAuthError {
  if (!err) throw new Error('expected an OAuthError');
  return err;
}

/** The `error` code of the OAuthError `fn` throws, or null when it returns; any other error is rethrown. */
export function oauthErrorCode(fn: () => unknown): string | null {
  return asOAuthError(thrownBy(fn))?.code ?? null;
}

/** The `error` code of the OAuthError `promise` rejects with, or null when it resolves; any other error is rethrown. */
export async function asyncOAuthErrorCode(promise: Promise<unknown>): Promise<string | null> {
  return asOAuthError(await rejectionOf(promise))?.code ?? null;
}

/** The OAuthError `fn` throws; fails when it returns, rethrows any other error. */
export function oauthErrorOf(fn: () => unknown): OAuthError {
  return expected(asOAuthError(thrownBy(fn)));
}

/** The OAuthError `promise` rejects with; fails when it resolves, rethrows any other error. */
export async function asyncOAuthErrorOf(promise: Promise<unknown>): Promise<OAuthError> {
  return expected(asOAuthError(await rejectionOf(promise)));
}
