// Development-only routes (DEV_MODE=true, set by npm run dev): the demo client's redirect URI.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { DevCallbackPage } from '../ui/dev-callback.ts';

export const devRoutes = new Hono<AppEnv>().get('/callback', (c) => {
  const { config } = c.get('services');
  if (!config.devMode) return c.notFound();
  const params: Record<string, string> = {};
  for (const name of ['code', 'state', 'iss', 'error', 'error_description']) {
    const value = c.req.query(name);
    if (value !== undefined) params[name] = value.slice(0, 2048);
  }
  return c.html(DevCallbackPage({ branding: config.branding, issuer: config.issuer, params }));
});
