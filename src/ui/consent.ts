// The consent page: which application asks for what, allow or deny.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { DecisionForm, ScopeList } from './decision.ts';
import { Layout, type Html } from './layout.ts';

export interface ConsentPageProps {
  branding: Branding;
  clientName: string;
  /** Where the client lives (src/oauth/consent.ts, consentHost): a name alone can be anyone's. */
  clientHost: string | null;
  username: string;
  scopes: string[];
  transaction: string;
}

export function ConsentPage({ branding, clientName, clientHost, username, scopes, transaction }: ConsentPageProps): Html {
  return Layout({
    title: 'Allow access',
    branding,
    children: [
      html`<h1>Allow access?</h1>`,
      html`<p class="lead"><strong>${clientName}</strong> wants to:</p>`,
      clientHost ? html`<p class="muted">from <strong>${clientHost}</strong></p>` : null,
      ScopeList({ scopes }),
      html`<p class="muted">Signed in as ${username}</p>`,
      DecisionForm({ action: '/consent', transaction, yes: ['allow', 'Allow'], no: ['deny', 'Deny'] }),
    ],
  });
}
