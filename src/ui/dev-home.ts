// Development only: the provider's `/` under npm run dev, pointing at the demo gateway and the provider's documents.
import { html } from 'hono/html';
import { Layout, type Html, type PageBase } from './layout.ts';

export interface DevHomeProps extends PageBase {
  issuer: string;
  /** The demo gateway's origin, when npm run dev started one. */
  gatewayUrl: string | null;
}

export function DevHomePage({ branding, t, issuer, gatewayUrl }: DevHomeProps): Html {
  const link = (href: string, text: string) => html`<li><a href="${href}">${text}</a></li>`;
  return Layout({
    title: 'Development',
    branding,
    t,
    children: [
      html`<h1>edge-oidc is running</h1>`,
      html`<p class="muted">This page exists only under npm run dev. The provider itself has no home page: relying parties start at their own sign-in.</p>`,
      html`<ul>${[
        gatewayUrl ? link(gatewayUrl, 'The demo gateway: sign in with the demo user') : null,
        link(`${issuer}/.well-known/openid-configuration`, 'Discovery document'),
        link(`${issuer}/.well-known/jwks.json`, 'Public signing keys (JWKS)'),
        link(`${issuer}/dev/mail`, 'The dev outbox: every email the provider sent, with its links'),
        link(`${issuer}/account`, 'Your account: profile, password, sessions, connected apps'),
      ]}</ul>`,
    ],
  });
}
