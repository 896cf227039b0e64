import { describe, expect, it } from 'vitest';
import { call, ISSUER } from '../helpers/fixtures.ts';

const METADATA_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe.each(METADATA_PATHS)('GET %s', (path) => {
  it('publishes the issuer and endpoints under it', async () => {
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const meta = await res.json<Record<string, unknown>>();
    expect(meta.issuer).toBe(ISSUER);
    expect(meta.authorization_endpoint).toBe(`${ISSUER}/authorize`);
    expect(meta.token_endpoint).toBe(`${ISSUER}/token`);
    expect(meta.userinfo_endpoint).toBe(`${ISSUER}/userinfo`);
    expect(meta.jwks_uri).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  it('advertises only the code flow with S256 PKCE', async () => {
    const meta = await (await call(path)).json<Record<string, unknown>>();
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.response_modes_supported).toEqual(['query']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.grant_types_supported).toContain('authorization_code');
    expect(meta.grant_types_supported).not.toContain('implicit');
    expect(meta.grant_types_supported).not.toContain('password');
    expect(meta.response_types_supported).not.toContain('token');
  });

  it('advertises the client authentication methods and signing algorithms enforced', async () => {
    const meta = await (await call(path)).json<Record<string, unknown>>();
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(meta.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']));
    expect(meta.id_token_signing_alg_values_supported).not.toContain('none');
    expect(meta.subject_types_supported).toEqual(['public']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
  });

  it('says iss is returned and request objects are not supported', async () => {
    const meta = await (await call(path)).json<Record<string, unknown>>();
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.request_parameter_supported).toBe(false);
    expect(meta.request_uri_parameter_supported).toBe(false);
    expect(meta.claims_parameter_supported).toBe(true);
  });

  it('says https client_ids may name a client metadata document', async () => {
    const meta = await (await call(path)).json<Record<string, unknown>>();
    expect(meta.client_id_metadata_document_supported).toBe(true);
  });

  it('publishes the two acr levels and the acr and amr claims', async () => {
    const meta = await (await call(path)).json<Record<string, unknown>>();
    expect(meta.acr_values_supported).toEqual(['1', '2']);
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['acr', 'amr']));
  });

  it('is publicly cacheable', async () => {
    const res = await call(path);
    expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+$/);
  });

  it('may be read cross-origin', async () => {
    const res = await call(path, { headers: { Origin: 'https://spa.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('answers a CORS preflight', async () => {
    const res = await call(path, {
      method: 'OPTIONS',
      headers: { Origin: 'https://spa.example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});

describe('both metadata documents', () => {
  it('are the same document', async () => {
    const [a, b] = await Promise.all(METADATA_PATHS.map(async (p) => (await call(p)).json()));
    expect(a).toEqual(b);
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes only public members of each key', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const { keys } = await res.json<{ keys: Record<string, unknown>[] }>();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  });

  it('gives every key a unique kid, use sig and an alg', async () => {
    const { keys } = await (await call('/.well-known/jwks.json')).json<{ keys: Record<string, unknown>[] }>();
    const kids = keys.map((k) => k.kid);
    expect(kids.every((kid) => typeof kid === 'string' && kid.length > 0)).toBe(true);
    expect(new Set(kids).size).toBe(kids.length);
    for (const key of keys) {
      expect(key.use).toBe('sig');
      expect(['RS256', 'ES256']).toContain(key.alg);
      expect(key.kty).toBe(key.alg === 'RS256' ? 'RSA' : 'EC');
    }
    expect(keys.map((k) => k.alg)).toEqual(expect.arrayContaining(['RS256', 'ES256']));
  });

  it('is cacheable and readable cross-origin', async () => {
    const res = await call('/.well-known/jwks.json', { headers: { Origin: 'https://spa.example.org' } });
    expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});
