import { describe, expect, it } from 'vitest';
import { call } from '../helpers/fixtures.ts';

describe('GET /assets', () => {
  it('serves the stylesheet, with the user-code style the device pages use', async () => {
    const res = await call('/assets/style.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    const css = await res.text();
    expect(css).toContain('--accent:#2563eb');
    expect(css).toContain('.code{');
  });

  it('serves the icon in the accent colour, linked from every page so browsers do not ask for /favicon.ico', async () => {
    const res = await call('/assets/icon.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*fill="#2563eb"/);
    const page = await (await call('/device')).text();
    expect(page).toContain('<link rel="icon" href="/assets/icon.svg" type="image/svg+xml"/>');
    expect(page).toContain('<img src="/assets/icon.svg" alt="" class="mark"/>');
  });

  it('serves the one page script, /assets/webauthn.js, which the pages load from their own origin (CSP script-src \'self\')', async () => {
    const res = await call('/assets/webauthn.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toContain("document.querySelectorAll('[data-webauthn]')");
    const page = await call('/device');
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(page.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
  });
});
