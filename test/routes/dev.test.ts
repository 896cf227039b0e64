// The provider's `/`: under npm run dev (DEV_MODE=true) a page linking to discovery and the gateway; otherwise a 404.
import { describe, expect, it } from 'vitest';
import { call, callWithEnv, ISSUER } from '../helpers/fixtures.ts';

describe('GET /', () => {
  it('is the JSON 404 outside dev mode', async () => {
    const res = await call('/');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });

  it('links to discovery, the JWKS and the gateway in dev mode', async () => {
    const res = await callWithEnv({ DEV_MODE: 'true', DEV_GATEWAY_URL: 'http://localhost:8788' }, '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toContain("style-src 'self'");
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain(`href="${ISSUER}/.well-known/openid-configuration"`);
    expect(page).toContain(`href="${ISSUER}/.well-known/jwks.json"`);
    expect(page).toContain('href="http://localhost:8788"');
  });

  it('leaves out a gateway link that is not an http(s) URL', async () => {
    const res = await callWithEnv({ DEV_MODE: 'true', DEV_GATEWAY_URL: 'javascript:alert(1)' }, '/');
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('javascript:');
  });
});
