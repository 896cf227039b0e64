// What a thrown error answers: protocol errors render themselves; storage and unknown errors are logged and
// answered generically, as JSON for the API and as an HTML page for the sign-in pages.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.ts';
import { OAuthError } from './oauth/errors.ts';
import { renderError } from './interaction/render.ts';
import { StorageUnavailableError } from './store/guard.ts';

type Answer = (c: Context<AppEnv>) => Response | Promise<Response>;

function log(c: Context<AppEnv>, msg: string, details: Record<string, unknown>): void {
  console.error(JSON.stringify({ msg, requestId: c.get('requestId'), path: c.req.path, ...details }));
}

/** Renders protocol errors; logs the rest (internals never reach the client) and answers with `unavailable` or `failed`. */
function errorHandler(unavailable: Answer, failed: Answer): ErrorHandler<AppEnv> {
  return async (err, c) => {
    let res: Response;
    if (err instanceof OAuthError || err instanceof HTTPException) res = err.getResponse();
    else if (err instanceof StorageUnavailableError) {
      log(c, 'storage unavailable', { error: String(err.cause) });
      res = await unavailable(c);
      res.headers.set('Retry-After', '5');
    } else {
      log(c, 'unhandled error', { error: String(err), stack: err.stack });
      res = await failed(c);
    }
    // An error's response is built apart from the context's, so it lacks the X-Request-Id the requestId
    // middleware set: add it, since an error is when an operator needs to find the request in the logs.
    const requestId = c.get('requestId');
    if (requestId && !res.headers.has('X-Request-Id')) res.headers.set('X-Request-Id', requestId);
    return res;
  };
}

/** JSON endpoints: RFC 6749 error bodies. */
export const apiErrors = errorHandler(
  () => new OAuthError('temporarily_unavailable', 'storage is temporarily unavailable; retry shortly').getResponse(),
  () => new OAuthError('server_error', 'an unexpected error occurred').getResponse(),
);

/** Sign-in pages: a person is reading, so storage and unknown errors are pages too. */
export const pageErrors = errorHandler(
  (c) => renderError(c, 503, 'unavailable', 'unavailableText'),
  (c) => renderError(c, 500, 'failed', 'failedText'),
);
