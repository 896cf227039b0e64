// Checked client metadata documents in KV (key prefix cimd:), shared by every location until their HTTP lifetime ends.
import type { MetadataRecord } from '../clients/metadata-document.ts';

const KEY_PREFIX = 'cimd:';

/** The record for a metadata document URL, or null; KV's own expiry drops it when its lifetime ends. */
export async function readMetadataRecord(kv: KVNamespace, url: string): Promise<MetadataRecord | null> {
  return kv.get<MetadataRecord>(KEY_PREFIX + url, 'json');
}

/** `ttlSeconds` is at least 60, KV's minimum expirationTtl (src/clients/metadata-fetch.ts bounds it). */
export async function saveMetadataRecord(kv: KVNamespace, record: MetadataRecord, ttlSeconds: number): Promise<void> {
  await kv.put(KEY_PREFIX + record.clientId, JSON.stringify(record), { expirationTtl: ttlSeconds });
}

