// POST /login: the sign-in form's submission. Generic failures, no enumeration, 303 back to the client; /login/switch.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { authenticate } from '../interaction/authenticate.ts';
import { openPostedTransaction } from '../interaction/posted.ts';
import { switchAccount } from '../interaction/switch-account.ts';
import { readForm } from '../oauth/params.ts';

const EXPIRED = { title: 'signInExpired', message: 'signInFormExpired' } as const;

export const loginRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const form = await readForm(c.req.raw);
    const posted = await openPostedTransaction(c, form, EXPIRED);
    if (posted instanceof Response) return posted;
    return authenticate(c, form, posted);
  })
  // "Not you?" (src/ui/login.ts): the same transaction, without the hint that named an account.
  .post('/switch', async (c) => {
    const posted = await openPostedTransaction(c, await readForm(c.req.raw), EXPIRED);
    return posted instanceof Response ? posted : switchAccount(c, posted);
  });
