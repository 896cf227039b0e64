// POST /login/second-factor (and /continue): the second-factor page's form, after the first factor (issue 13).
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { continueAfterSecondFactor, submitSecondFactor } from '../interaction/second-factor-submit.ts';
import { readForm } from '../oauth/params.ts';

export const secondFactorRoutes = new Hono<AppEnv>()
  .post('/', async (c) => submitSecondFactor(c, await readForm(c.req.raw)))
  .post('/continue', async (c) => continueAfterSecondFactor(c, await readForm(c.req.raw)));
