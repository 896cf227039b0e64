// Development only: the demo client's landing page, showing the code and how to exchange it.
import { html } from 'hono/html';
import { Layout, type Html, type PageBase } from './layout.ts';

export interface DevCallbackProps extends PageBase {
  issuer: string;
  params: Record<string, string>;
}

export function DevCallbackPage({ branding, t, issuer, params }: DevCallbackProps): Html {
  const redirectUri = `${issuer}/dev/callback`;
  const curl = params.code
    ? `curl -s -u "demo:$DEMO_CLIENT_SECRET" ${issuer}/token \\\n  -d grant_type=authorization_code \\\n  -d code=${params.code} \\\n  --data-urlencode redirect_uri=${redirectUri} \\\n  -d code_verifier=$CODE_VERIFIER`
    : null;
  return Layout({
    title: 'Demo callback',
    branding,
    t,
    children: [
      html`<h1>${params.error ? 'Authorization failed' : 'Authorization code received'}</h1>`,
      html`<p class="muted">This page is the demo client&#39;s redirect URI; it exists only under npm run dev.</p>`,
      html`<dl class="params">${Object.entries(params).map(([k, v]) => html`<dt>${k}</dt><dd><code>${v}</code></dd>`)}</dl>`,
      curl
        ? html`<p>Exchange the code within 60 seconds (secret and verifier as printed by npm run dev):</p><pre><code>${curl}</code></pre>`
        : null,
    ],
  });
}
