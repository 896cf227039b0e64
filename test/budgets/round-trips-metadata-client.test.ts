// Round trips of /authorize for a metadata-document client (CIMD): with a cache hit no more storage round trips
// than a registered client's, and a cache miss exactly one fetch more (issue 16, "Budgets").
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OUTBOUND_FETCH_BUDGETS, ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import type { Op } from '../../bench/worker/counting.ts';
import { clearClientCache } from '../../src/store/clients.ts';
import { authorizeUrl, call, createClient, type TestClient } from '../helpers/fixtures.ts';
import { forgetDocuments, pkceParams, serveClient } from '../helpers/metadata-documents.ts';
import { expectWithin, request, responsePathOps } from './probe.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const describeOps = (ops: Op[]) => ops.map((o) => `${o.kind} ${o.what}`);

/** The ops on the response path of /authorize from a new browser, each request with a cold isolate cache. */
async function authorizeOps(client: TestClient, beforeEach: () => Promise<void> = async () => undefined): Promise<Op[]> {
  const { params } = await pkceParams();
  return responsePathOps(async () => {
    clearClientCache();
    await beforeEach();
    return request(authorizeUrl(client, params));
  }, 200);
}

describe('GET /authorize to the login form for a metadata-document client', () => {
  it('with a cache hit: one KV read, where a registered client costs one D1 replica read, and no fetch', async () => {
    const registered = await authorizeOps(await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null }));
    const { client, fetches } = serveClient();
    expect((await call(authorizeUrl(client, (await pkceParams()).params))).status).toBe(200);
    await vi.waitFor(async () => expect(await env.CODES.get(`cimd:${client.clientId}`)).not.toBeNull());
    fetches.mockClear();
    const ops = await authorizeOps(client, async () => forgetDocuments());
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorizeMetadataClient);
    expect(registered.map((o) => o.kind)).toEqual(['d1_replica_read']);
    expect(describeOps(ops)).toEqual(['kv_read get cimd:']);
    expect(ops.length).toBeLessThanOrEqual(registered.length);
    expect(fetches).toHaveBeenCalledTimes(OUTBOUND_FETCH_BUDGETS.authorizeMetadataClientCached);
  });

  it('with a cache miss: the KV read, then exactly one fetch; the KV write waits for nothing', async () => {
    const { client, fetches } = serveClient();
    const ops = await authorizeOps(client, async () => forgetDocuments(client.clientId));
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorizeMetadataClient);
    expect(describeOps(ops)).toEqual(['kv_read get cimd:']);
    fetches.mockClear();
    await forgetDocuments(client.clientId);
    expect((await call(authorizeUrl(client, (await pkceParams()).params))).status).toBe(200);
    expect(fetches).toHaveBeenCalledTimes(OUTBOUND_FETCH_BUDGETS.authorizeMetadataClientMiss);
  });

  it('with a warm isolate: no storage round trip and no fetch', async () => {
    const { client, fetches } = serveClient();
    const { params } = await pkceParams();
    expect((await call(authorizeUrl(client, params))).status).toBe(200);
    fetches.mockClear();
    const ops = await responsePathOps(async () => request(authorizeUrl(client, params)), 200);
    expect(ops).toEqual([]);
    expect(fetches).not.toHaveBeenCalled();
  });
});
