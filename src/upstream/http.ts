// Outbound requests to upstream providers: a time limit and a size cap, so a slow, down or huge answer cannot hold us.
import { readCapped } from '../read-capped.ts';

export const UPSTREAM_TIMEOUT_MS = 5000;
/** Discovery documents, JWKS, token and user responses are a few KiB; anything past this is refused unread. */
export const UPSTREAM_MAX_BYTES = 64 * 1024;

/** The upstream did not answer, answered 5xx, or answered too much: the user gets a retry page, not an error. */
export class UpstreamUnavailableError extends Error {}

async function readBody(res: Response): Promise<Uint8Array> {
  const tooLarge = () => new UpstreamUnavailableError('upstream response too large');
  if (Number(res.headers.get('content-length') ?? '0') > UPSTREAM_MAX_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  return readCapped(res.body, UPSTREAM_MAX_BYTES, tooLarge);
}

/** oauth4webapi's customFetch: never follows redirects (it asks for 'manual'), gives up after the time limit. */
export async function upstreamFetch(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (error) {
    throw new UpstreamUnavailableError('upstream unreachable', { cause: error });
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new UpstreamUnavailableError(`upstream answered ${res.status}`);
  }
  const body = await readBody(res);
  return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, headers: res.headers });
}
