// Security headers by kind of answer, and CORS only where a browser asks for it (src/index.ts).
import { describe, expect, it } from 'vitest';
import { basic, call, createClient, form, formAs } from '../helpers/fixtures.ts';

const API_HEADERS: Record<string, RegExp> = {
  'Content-Security-Policy': /^default-src 'none'; frame-ancestors 'none'$/,
  'X-Frame-Options': /^DENY$/,
  'X-Content-Type-Options': /^nosniff$/,
  'Strict-Transport-Security': /^max-age=\d+; includeSubDomains$/,
  'Referrer-Policy': /^no-referrer$/,
};
const DOCUMENT_ONLY = ['Cross-Origin-Opener-Policy', 'Cross-Origin-Resource-Policy', 'Origin-Agent-Cluster'];

function expectApiHeaders(res: Response): void {
  for (const [name, value] of Object.entries(API_HEADERS)) expect(res.headers.get(name), name).toMatch(value);
}

describe('security headers', () => {
  it('puts the API set and the request id on every JSON answer, errors and 404 included', async () => {
    const client = await createClient();
    const answers = [
      await call('/.well-known/openid-configuration'),
      await call('/.well-known/jwks.json'),
      await formAs(client, '/token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }),
      await form('/token', { grant_type: 'password' }),
      await call('/userinfo'),
      await formAs(client, '/revoke', { token: 'x' }),
      await formAs(client, '/introspect', { token: 'x' }),
      await call('/no-such-endpoint'),
    ];
    for (const res of answers) {
      // /revoke answers 200 with an empty body (RFC 7009 §2.2); everything else here is JSON.
      if (res.headers.has('Content-Type')) expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      else expect(await res.text()).toBe('');
      expectApiHeaders(res);
      // Errors too: an error's response is built apart from the context's (src/index.ts onError).
      expect(res.headers.get('X-Request-Id'), `${res.status} ${res.url}`).toMatch(/^[\w-]{8,}$/);
    }
  });

  it('puts the whole document set on pages and their assets', async () => {
    const client = await createClient();
    const page = await call(`/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: 'https://evil.example/cb', response_type: 'code', scope: 'openid' })}`);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    const css = await call('/assets/style.css');
    for (const res of [page, css]) {
      expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
      expect(res.headers.get('Content-Security-Policy')).toContain("style-src 'self'");
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      for (const name of DOCUMENT_ONLY) expect(res.headers.get(name), name).not.toBeNull();
    }
  });

  it('does not mistake /device_authorization for a device page', async () => {
    const res = await form('/device_authorization', { client_id: 'nobody' });
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe('CORS on /token, /revoke and /userinfo', () => {
  it('answers a request that carries an Origin, success or error, with Access-Control-Allow-Origin', async () => {
    const client = await createClient();
    const res = await form('/token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }, {
      Authorization: basic(client.clientId, client.secret!), Origin: 'https://spa.example.org',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const userinfo = await call('/userinfo', { headers: { Origin: 'https://spa.example.org' } });
    expect(userinfo.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('lets a browser read the error for a body that is too large', async () => {
    const res = await form('/token', { grant_type: 'authorization_code', code: 'x'.repeat(20_000) }, { Origin: 'https://spa.example.org' });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string; error_description: string }>()).error_description).toMatch(/too large/);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('leaves CORS headers off a server-to-server call (no Origin): the answers are no-store, never shared', async () => {
    const client = await createClient();
    // form() adds an Origin (browser forms); a client backend sends none.
    const res = await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('still sends CORS headers on cacheable metadata without an Origin (a shared cache may serve it to a browser)', async () => {
    expect((await call('/.well-known/jwks.json')).headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});

describe('request ids', () => {
  it('are always ours: a caller cannot choose the id that goes into the audit log', async () => {
    const client = await createClient();
    const res = await form('/token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }, {
      Authorization: basic(client.clientId, 'wrong'), 'X-Request-Id': 'chosen-by-the-caller',
    });
    expect(res.status).toBe(401);
    const id = res.headers.get('X-Request-Id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe('chosen-by-the-caller');
    const ok = await call('/.well-known/openid-configuration', { headers: { 'X-Request-Id': 'chosen-by-the-caller' } });
    expect(ok.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
