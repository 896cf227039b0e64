// The consent page: which application asks for what, allow or deny.
import { html } from 'hono/html';
import { DecisionForm, ScopeList } from './decision.ts';
import { fill, Layout, strong, type Html, type PageBase } from './layout.ts';

export interface ConsentPageProps extends PageBase {
  clientName: string;
  /** Where the client lives (src/oauth/consent.ts, consentHost): a name alone can be anyone's. */
  clientHost: string | null;
  username: string;
  scopes: string[];
  transaction: string;
}

export function ConsentPage({ branding, t, clientName, clientHost, username, scopes, transaction }: ConsentPageProps): Html {
  return Layout({
    title: t.allowAccess,
    branding,
    t,
    children: [
      html`<h1>${t.allowAccessQ}</h1>`,
      html`<p class="lead">${fill(t.wantsTo, strong(clientName))}</p>`,
      clientHost ? html`<p class="muted">${fill(t.fromHost, strong(clientHost))}</p>` : null,
      ScopeList({ t, scopes }),
      html`<p class="muted">${t.signedInAs(username)}</p>`,
      DecisionForm({ action: '/consent', transaction, yes: ['allow', t.allow], no: ['deny', t.deny] }),
    ],
  });
}
