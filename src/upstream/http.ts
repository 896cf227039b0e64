// Outbound requests to upstream providers: a time limit and a size cap, so a slow, down or huge answer cannot hold us.
export const UPSTREAM_TIMEOUT_MS = 5000;
/** Discovery documents, JWKS, token and user responses are a few KiB; anything past this is refused unread. */
export const UPSTREAM_MAX_BYTES = 64 * 1024;

/** The upstream did not answer, answered 5xx, or answered too much: the user gets a retry page, not an error. */
export class UpstreamUnavailableError extends Error {}

async function readCapped(res: Response): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > UPSTREAM_MAX_BYTES) {
    await res.body?.cancel();
    throw new UpstreamUnavailableError('upstream response too large');
  }
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > UPSTREAM_MAX_BYTES) {
      await reader.cancel();
      throw new UpstreamUnavailableError('upstream response too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
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
  const body = await readCapped(res);
  return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, headers: res.headers });
}
