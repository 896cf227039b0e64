// The device verification pages (RFC 8628 §3.3): endpoints only; the journey is in src/interaction/device/.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { renderCodePage } from '../interaction/device/render.ts';
import { decideDevice, enterUserCode, signInForDevice } from '../interaction/device/steps.ts';
import { readForm } from '../oauth/params.ts';

export const deviceRoutes = new Hono<AppEnv>()
  .get('/', (c) => renderCodePage(c, (c.req.query('user_code') ?? '').slice(0, 16), null))
  .post('/', async (c) => enterUserCode(c, await readForm(c.req.raw)))
  .post('/login', async (c) => signInForDevice(c, await readForm(c.req.raw)))
  .post('/decision', async (c) => decideDevice(c, await readForm(c.req.raw)));
