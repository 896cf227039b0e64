// Static assets: the stylesheet, coloured by the deployment's branding.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { renderStylesheet } from '../ui/style.ts';

export const assetRoutes = new Hono<AppEnv>().get('/style.css', (c) =>
  c.body(renderStylesheet(c.get('services').config.branding.accentColor), 200, {
    'Content-Type': 'text/css; charset=utf-8',
    'Cache-Control': 'public, max-age=3600',
  }),
);
