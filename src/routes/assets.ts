// Static assets: the stylesheet and the icon, coloured by the deployment's branding, and the pages' scripts.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { PASSWORD_TOGGLE_JS } from '../ui/password-toggle.ts';
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
  )
  .get('/password-toggle.js', (c) =>
    c.body(PASSWORD_TOGGLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );
