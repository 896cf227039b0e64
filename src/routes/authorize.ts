// GET and POST /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2): verify client and redirect URI, then the rest.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { clientLoader } from '../clients/resolve.ts';
import type { AppEnv } from '../env.ts';
import { useLocale } from '../middleware/language.ts';
import { openJourney } from '../interaction/open.ts';
import { redirectWithError, renderError } from '../interaction/render.ts';
import { readAuthorizationRequest, UntrustedRedirectError, verifyClientAndRedirectUri } from '../oauth/authorize-request.ts';
import { OAuthError } from '../oauth/errors.ts';
import { RequestParams } from '../oauth/params.ts';

async function readParams(c: Context<AppEnv>): Promise<RequestParams> {
  if (c.req.method === 'GET') return new RequestParams(new URL(c.req.url).searchParams);
  return RequestParams.fromForm(c.req.raw);
}

async function authorize(c: Context<AppEnv>) {
  const { keys, config } = c.get('services');
  let target;
  try {
    const params = await readParams(c);
    const findClient = clientLoader(c);
    target = await verifyClientAndRedirectUri(params, findClient);
    const request = await readAuthorizationRequest(params, target, keys, config.issuer, findClient, config.allowedResources);
    // OIDC Core §3.1.2.1 ui_locales beats Accept-Language on every page of the journey (the transaction carries it).
    useLocale(c, request.uiLocale);
    return await openJourney(c, target.client, request);
  } catch (err) {
    if (err instanceof UntrustedRedirectError) return renderError(c, 400, 'invalidRequest', { text: err.message });
    if (err instanceof OAuthError) {
      if (!target) return renderError(c, 400, 'invalidRequest', { text: err.description });
      return redirectWithError(c, target, err);
    }
    throw err;
  }
}

export const authorizeRoutes = new Hono<AppEnv>().get('/', authorize).post('/', authorize);
