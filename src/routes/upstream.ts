// POST /upstream/start (a sign-in page's provider button) and GET /upstream/:name/callback (the upstream's redirect back).
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { openPostedTransaction } from '../interaction/posted.ts';
import { renderError } from '../interaction/render.ts';
import { readForm } from '../oauth/params.ts';
import { upstreamCallback } from '../upstream/callback.ts';
import { enabledProvider, startUpstream } from '../upstream/start.ts';

export const upstreamRoutes = new Hono<AppEnv>()
  .post('/start', async (c) => {
    const form = await readForm(c.req.raw);
    const posted = await openPostedTransaction(c, form, { title: 'signInExpired', message: 'signInFormExpired' });
    if (posted instanceof Response) return posted;
    const provider = await enabledProvider(c, form.get('provider') ?? '');
    if (!provider) return renderError(c, 404, 'signInUnavailable', 'upstreamNotOffered');
    return startUpstream(c, provider, { request: posted.request, consentSession: null }, null);
  })
  .get('/:name/callback', (c) => upstreamCallback(c, c.req.param('name')));
