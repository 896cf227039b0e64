// Static assets: the stylesheet and the icon, coloured by the deployment's branding, and the WebAuthn script.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { renderIcon, renderStylesheet } from '../ui/style.ts';
import { WEBAUTHN_SCRIPT } from '../ui/webauthn-script.ts';

export const assetRoutes = new Hono<AppEnv>()
  .get('/style.css', (c) =>
    c.body(renderStylesheet(c.get('services').config.branding.accentColor), 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  .get('/icon.svg', (c) =>
    c.body(renderIcon(c.get('services').config.branding.accentColor), 200, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  .get('/webauthn.js', (c) =>
    c.body(WEBAUTHN_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );
