// Any client by its client_id: registered clients from D1, metadata-document clients from cache or their URL.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { readMetadataRecord, saveMetadataRecord } from '../store/client-metadata-cache.ts';
import { loadClient, type Client } from '../store/clients.ts';
import { metadataClient, readMetadataDocument, type MetadataRecord } from './metadata-document.ts';
import { ClientMetadataError } from './metadata-error.ts';
import { fetchMetadataDocument } from './metadata-fetch.ts';
import { checkMetadataDocumentUrl, isMetadataDocumentUrl } from './metadata-url.ts';

export type ClientLoader = (clientId: string) => Promise<Client | null>;

export interface MetadataSource {
  kv: KVNamespace;
  devMode: boolean;
  /** Keeps the KV write off the response path (ctx.waitUntil). */
  defer: (work: Promise<unknown>) => void;
}

// Per isolate, like registered clients' cache (src/store/clients.ts): a warm isolate reads nothing.
const memory = new Map<string, MetadataRecord>();
const MEMORY_MAX_ENTRIES = 1000;

function remember(record: MetadataRecord): void {
  if (memory.size >= MEMORY_MAX_ENTRIES) memory.delete(memory.keys().next().value!);
  memory.set(record.clientId, record);
}

export function clearMetadataClientCache(): void {
  memory.clear();
}

/**
 * The document's client: from this isolate's memory, else KV (one read, where a registered client costs one
 * replica read), else one fetch whose checked record is written to KV after the response.
 * Throws ClientMetadataError when the URL or the document is refused (nothing refused is cached).
 */
export async function loadMetadataClient(source: MetadataSource, url: string): Promise<Client> {
  const why = checkMetadataDocumentUrl(url, source.devMode);
  if (why) throw new ClientMetadataError(`the client_id ${why}`);
  const now = nowSeconds();
  let record: MetadataRecord | null | undefined = memory.get(url);
  if (!record || record.expiresAt <= now) {
    record = await readMetadataRecord(source.kv, url);
    // KV may serve a value for up to 60 s past its expiry at a distant location.
    if (!record || record.expiresAt <= now) {
      const fetched = await fetchMetadataDocument(url);
      record = readMetadataDocument(url, fetched.text, now + fetched.cacheSeconds);
      source.defer(saveMetadataRecord(source.kv, record, fetched.cacheSeconds).catch((err: unknown) => console.error('metadata document cache write failed', err)));
    }
    remember(record);
  }
  return metadataClient(record);
}

/** The loader every endpoint uses: URL-shaped ids are metadata documents, anything else is looked up in D1. */
export function clientLoader(c: Context<AppEnv>): ClientLoader {
  return (clientId) => {
    if (!isMetadataDocumentUrl(clientId)) return loadClient(c.env.DB, clientId);
    const source = { kv: c.env.CODES, devMode: c.get('services').config.devMode, defer: (work: Promise<unknown>) => c.executionCtx.waitUntil(work) };
    return loadMetadataClient(source, clientId);
  };
}

/** For pages past /authorize (sign-in forms, logout): a document refused now reads as an unknown client. */
export function pageClientLoader(c: Context<AppEnv>): ClientLoader {
  const load = clientLoader(c);
  return (clientId) => load(clientId).catch((err: unknown) => {
    if (err instanceof ClientMetadataError) return null;
    throw err;
  });
}
