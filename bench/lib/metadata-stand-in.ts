// The client metadata document the bench build serves in place of the network (bench/worker/outbound.ts), shared with the runner.
// Plain TypeScript: no Node or Workers types, so both sides can import it.

/**
 * The one https client_id the stand-in answers for. A real deployment fetches it from the client's host
 * (src/clients/metadata-fetch.ts); wrangler dev here has no internet, and the bench must not depend on one.
 */
export const BENCH_METADATA_DOCUMENT_URL = 'https://cimd.bench.example/oauth/client.json';

/** Where the bench's metadata-document client is sent back to: the same RP host as the registered client. */
export const BENCH_METADATA_REDIRECT_URI = 'https://rp.bench.example/cimd-callback';

/** The document, as a client would publish it (draft-ietf-oauth-client-id-metadata-document §4). */
export const BENCH_METADATA_DOCUMENT = {
  client_id: BENCH_METADATA_DOCUMENT_URL,
  client_name: 'Bench MCP client',
  redirect_uris: [BENCH_METADATA_REDIRECT_URI],
  token_endpoint_auth_method: 'none',
} as const;

/** A day (the cache's upper bound): no record expires in the middle of a run. */
export const BENCH_METADATA_CACHE_CONTROL = 'public, max-age=86400';
