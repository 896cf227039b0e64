import { describe, expect, it } from 'vitest';
import { RequestParams } from '../../src/oauth/params.ts';
import { grantResources, narrowResources, readResources, resourceUriProblem, tokenResources } from '../../src/oauth/resources.ts';
import { oauthErrorCode } from '../helpers/errors.ts';

const A = 'https://a.example.com/mcp';
const B = 'https://b.example.com';
const client = { audience: B, resources: [A] };

function params(...resources: string[]): RequestParams {
  return new RequestParams(new URLSearchParams(resources.map((r) => ['resource', r])));
}

describe('resourceUriProblem (RFC 8707 §2)', () => {
  it.each([A, B, 'urn:example:api', 'https://api.example.com/v1?tenant=1', 'http://localhost:3000/mcp'])('accepts the absolute URI %s', (uri) => {
    expect(resourceUriProblem(uri)).toBeNull();
  });

  it.each([
    ['a fragment', 'https://api.example.com/#frag'],
    ['an empty fragment', 'https://api.example.com/#'],
    ['a relative path', '/api'],
    ['a scheme-relative reference', '//api.example.com'],
    ['no scheme', 'api.example.com'],
    ['whitespace', 'https://api.example.com/a b'],
    ['a control character', 'https://api.example.com/\u0000'],
    ['an unparseable authority', 'https://'],
    ['too many characters', `https://api.example.com/${'a'.repeat(2048)}`],
  ])('refuses %s', (_, uri) => {
    expect(resourceUriProblem(uri)).not.toBeNull();
  });
});

describe('readResources', () => {
  it('reads repeated values, drops duplicates, and reads none as []', () => {
    expect(readResources(params(A, B, A))).toEqual([A, B]);
    expect(readResources(params())).toEqual([]);
    expect(readResources(params(''))).toEqual([]);
  });

  it('answers invalid_target for a malformed or overlong value, or too many values', () => {
    expect(oauthErrorCode(() => readResources(params(A, '/relative')))).toBe('invalid_target');
    expect(oauthErrorCode(() => readResources(params(`${A}#x`)))).toBe('invalid_target');
    expect(oauthErrorCode(() => readResources(params(`https://x.example/${'a'.repeat(3000)}`)))).toBe('invalid_target');
    expect(oauthErrorCode(() => readResources(params(...Array.from({ length: 11 }, (_, i) => `https://r${i}.example`))))).toBe('invalid_target');
  });
});

describe('grantResources', () => {
  it('grants registered resources, the audience, and those the deployment allows', () => {
    expect(grantResources([A], client, [])).toEqual([A]);
    expect(grantResources([B, A], client, [])).toEqual([B, A]);
    expect(grantResources(['urn:shared'], client, ['urn:shared'])).toEqual(['urn:shared']);
  });

  it('defaults to the audience, or none without one', () => {
    expect(grantResources([], client, [])).toEqual([B]);
    expect(grantResources([], { audience: null, resources: [A] }, [])).toEqual([]);
  });

  it('refuses the whole request when one resource is not allowed', () => {
    expect(oauthErrorCode(() => grantResources([A, 'https://evil.example'], client, []))).toBe('invalid_target');
  });

  it('compares exact strings: a trailing slash or another case is another resource', () => {
    expect(oauthErrorCode(() => grantResources([`${A}/`], client, []))).toBe('invalid_target');
    expect(oauthErrorCode(() => grantResources([A.toUpperCase()], client, []))).toBe('invalid_target');
  });
});

describe('narrowResources and tokenResources', () => {
  it('narrows to a subset, keeps all when none is asked, refuses widening', () => {
    expect(narrowResources([A], [A, B])).toEqual([A]);
    expect(narrowResources([], [A, B])).toEqual([A, B]);
    expect(oauthErrorCode(() => narrowResources([A, 'https://c.example'], [A]))).toBe('invalid_target');
  });

  it("falls back to the client's audience for a grant recorded without resources", () => {
    expect(tokenResources([], client)).toEqual([B]);
    expect(tokenResources([A], client)).toEqual([A]);
    expect(tokenResources([], { audience: null, resources: [] })).toEqual([]);
  });
});
