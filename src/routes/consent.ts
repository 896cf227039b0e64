// POST /consent: the user's decision on the consent page (OIDC Core §3.1.2.4).
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { decideConsent } from '../interaction/consent-decision.ts';
import { openPostedTransaction } from '../interaction/posted.ts';
import { readForm } from '../oauth/params.ts';

const EXPIRED = { title: 'requestExpired', message: 'consentFormExpired' } as const;

export const consentRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  // Only a transaction sealed by the consent page names a session: a sign-in form's is refused here.
  const posted = await openPostedTransaction(c, form, EXPIRED, (tx) => tx.consentSession !== null);
  if (posted instanceof Response) return posted;
  return decideConsent(c, posted, form.get('decision') === 'allow');
});
