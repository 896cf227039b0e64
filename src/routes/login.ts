// POST /login: the sign-in form's submission. Generic failures, no enumeration, 303 back to the client.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { authenticate } from '../interaction/authenticate.ts';
import { openPostedTransaction } from '../interaction/posted.ts';
import { readForm } from '../oauth/params.ts';

export const loginRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  const posted = await openPostedTransaction(c, form, { title: 'signInExpired', message: 'signInFormExpired' });
  if (posted instanceof Response) return posted;
  return authenticate(c, form, posted);
});
