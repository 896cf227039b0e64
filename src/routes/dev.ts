// Development-only routes (DEV_MODE=true, set by npm run dev): the demo client's redirect URI, the provider's `/`, the outbox.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { DevCallbackPage } from '../ui/dev-callback.ts';
import { DevHomePage } from '../ui/dev-home.ts';
import { extractLinks } from '../mail/links.ts';
import { listOutboxMessages } from '../store/dev-outbox.ts';
import { DevMailPage } from '../ui/dev-mail.ts';

export const devRoutes = new Hono<AppEnv>().get('/callback', (c) => {
  const { config } = c.get('services');
  if (!config.devMode) return c.notFound();
  const params: Record<string, string> = {};
  for (const name of ['code', 'state', 'iss', 'error', 'error_description']) {
    const value = c.req.query(name);
    if (value !== undefined) params[name] = value.slice(0, 2048);
  }
  return c.html(DevCallbackPage({ branding: config.branding, issuer: config.issuer, params }));
}).get('/mail', async (c) => {
  const { config } = c.get('services');
  if (!config.devMode) return c.notFound();
  const messages = (await listOutboxMessages(c.env.DB)).map((m) => ({ ...m, links: extractLinks(m.text, m.html) }));
  c.header('Cache-Control', 'no-store');
  return c.html(DevMailPage({ branding: config.branding, messages }));
});

/** `/`: links to the demo gateway (DEV_GATEWAY_URL, set by npm run dev) and the provider's documents. */
export function devHome(c: Context<AppEnv>): Response | Promise<Response> {
  const { config } = c.get('services');
  if (!config.devMode) return c.notFound();
  const gateway = c.env.DEV_GATEWAY_URL;
  const gatewayUrl = gateway && /^https?:\/\/[^/]+$/.test(gateway) ? gateway : null;
  return c.html(DevHomePage({ branding: config.branding, issuer: config.issuer, gatewayUrl }));
}
