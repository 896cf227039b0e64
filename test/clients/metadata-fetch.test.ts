import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientMetadataError } from '../../src/clients/metadata-error.ts';
import { cacheSecondsFrom, fetchMetadataDocument } from '../../src/clients/metadata-fetch.ts';
import { serveDocuments } from '../helpers/metadata-documents.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const URL_ = 'https://app.example.com/client.json';

describe('cacheSecondsFrom (RFC 9111 §5.2.2, bounded to 60 s .. 24 h)', () => {
  it.each([
    [null, 60],
    ['', 60],
    ['max-age=600', 600],
    ['public, max-age=600', 600],
    ['max-age="600"', 600],
    ['s-maxage=900, max-age=600', 900],
    ['max-age=5', 60],
    ['max-age=999999', 86_400],
    ['max-age=-1', 60],
    ['max-age=abc', 60],
    ['no-store', 60],
    ['no-cache, max-age=600', 60],
    ['private, max-age=600', 60],
  ])('%s gives %i s', (header, seconds) => {
    expect(cacheSecondsFrom(header)).toBe(seconds);
  });
});

describe('fetchMetadataDocument', () => {
  it('gives up on a slow document when its time limit passes', async () => {
    serveDocuments((_, init) => new Promise<Response>((_resolve, reject) => {
      init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
    }));
    const err = await fetchMetadataDocument(URL_, { maxBytes: 5120, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientMetadataError);
    expect((err as ClientMetadataError).code).toBe('invalid_client');
    expect((err as ClientMetadataError).description).toContain('did not arrive within 20 ms');
  });

  it('gives up on a body that trickles in past the time limit', async () => {
    serveDocuments((_, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"client_id":'));
          init.signal!.addEventListener('abort', () => controller.error(init.signal!.reason));
        },
      });
      return new Response(body);
    });
    const err = await fetchMetadataDocument(URL_, { maxBytes: 5120, timeoutMs: 20 }).catch((e: unknown) => e);
    expect((err as ClientMetadataError).description).toContain('did not arrive within 20 ms');
  });

  it('reads at most the limit of a body that never ends', async () => {
    const chunk = new Uint8Array(1024);
    serveDocuments(() => new Response(new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) })));
    const err = await fetchMetadataDocument(URL_).catch((e: unknown) => e);
    expect((err as ClientMetadataError).description).toContain('larger than 5120 bytes');
  });

  it('returns the text and its cache lifetime', async () => {
    serveDocuments(() => new Response('{"a":1}', { headers: { 'Cache-Control': 'max-age=300' } }));
    expect(await fetchMetadataDocument(URL_)).toEqual({ text: '{"a":1}', cacheSeconds: 300 });
  });
});
