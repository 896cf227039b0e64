// Pieces shared by the pages that ask the user to decide: the scope list and the two-button form.
import { html } from 'hono/html';
import type { Html } from './layout.ts';

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your account identifier)',
  // OIDC Core §5.4: name, preferred_username, updated_at.
  profile: 'See your name, your username and when your profile last changed',
  // OIDC Core §5.4: email, email_verified.
  email: 'See your email address and whether it is verified',
  offline_access: 'Stay signed in to it when you are not using it',
};

export function ScopeList({ scopes }: { scopes: string[] }): Html {
  return html`<ul class="scopes">${scopes.map((s) => html`<li>${SCOPE_DESCRIPTIONS[s] ?? s}</li>`)}</ul>`;
}

export interface DecisionFormProps {
  action: string;
  transaction: string;
  /** [value, label] of the primary and the secondary button. */
  yes: [string, string];
  no: [string, string];
}

export function DecisionForm({ action, transaction, yes, no }: DecisionFormProps): Html {
  return html`<form method="post" action="${action}" class="actions">${[
    html`<input type="hidden" name="tx" value="${transaction}"/>`,
    html`<button type="submit" name="decision" value="${yes[0]}">${yes[1]}</button>`,
    html`<button type="submit" name="decision" value="${no[0]}" class="secondary">${no[1]}</button>`,
  ]}</form>`;
}
