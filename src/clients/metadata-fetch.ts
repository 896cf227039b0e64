// The one outbound fetch of the service: a client's metadata document, with size, time and redirect limits.
import { readCapped } from '../read-capped.ts';
import { ClientMetadataError } from './metadata-error.ts';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** docs/decisions.md, "Client ID metadata documents": 5 KiB and 3 s, redirects refused. */
export const METADATA_FETCH_LIMITS: FetchLimits = { maxBytes: 5 * 1024, timeoutMs: 3000 };

/** Seconds a document is reused: its max-age within [60 s, 24 h] (no-store and no-cache get the floor). */
export const METADATA_CACHE_BOUNDS = { minSeconds: 60, maxSeconds: 86_400 } as const;

export interface FetchedDocument {
  text: string;
  cacheSeconds: number;
}

/** RFC 9111 §5.2.2: s-maxage (this is a shared cache), then max-age; no-store and no-cache keep only the floor. */
export function cacheSecondsFrom(cacheControl: string | null): number {
  const { minSeconds, maxSeconds } = METADATA_CACHE_BOUNDS;
  const directives = (cacheControl ?? '').toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache' || d === 'private')) return minSeconds;
  const age = (name: string) => directives.find((d) => d.startsWith(`${name}=`))?.slice(name.length + 1).replace(/"/g, '');
  const value = age('s-maxage') ?? age('max-age');
  const seconds = value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : minSeconds;
  return Math.min(maxSeconds, Math.max(minSeconds, seconds));
}

/** Reads at most `maxBytes` of the body whatever Content-Length claims; one byte more refuses the document. */
async function readText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const bytes = await readCapped(body, maxBytes, () => new ClientMetadataError(`the client's metadata document is larger than ${maxBytes} bytes`));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ClientMetadataError("the client's metadata document is not valid UTF-8");
  }
}

/**
 * GET the document. Redirects are not followed (the draft's §4.1; a redirect could lead anywhere the host check
 * did not see), the whole exchange, body included, is bounded by the timeout, and only a 200 counts.
 */
export async function fetchMetadataDocument(url: string, limits: FetchLimits = METADATA_FETCH_LIMITS): Promise<FetchedDocument> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, { redirect: 'manual', signal, headers: { Accept: 'application/json' } });
    if (response.status !== 200) {
      await response.body?.cancel();
      const why = response.status >= 300 && response.status < 400 ? 'redirects, which is not followed' : `answered HTTP ${response.status}`;
      throw new ClientMetadataError(`the client's metadata document ${why}`);
    }
    return { text: await readText(response.body, limits.maxBytes), cacheSeconds: cacheSecondsFrom(response.headers.get('Cache-Control')) };
  } catch (err) {
    if (err instanceof ClientMetadataError) throw err;
    if (signal.aborted) throw new ClientMetadataError(`the client's metadata document did not arrive within ${limits.timeoutMs} ms`);
    throw new ClientMetadataError("the client's metadata document could not be fetched");
  }
}
