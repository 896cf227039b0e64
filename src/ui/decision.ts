// Pieces shared by the pages that ask the user to decide: the scope list and the two-button form.
import { html } from 'hono/html';
import type { Messages } from '../i18n/catalogue.ts';
import type { Html } from './layout.ts';

/** Each scope as the catalogue describes it (OIDC Core §5.4); a scope it does not describe shows by name. */
export function ScopeList({ t, scopes }: { t: Messages; scopes: string[] }): Html {
  const described: Record<string, string> = t.scopes;
  return html`<ul class="scopes">${scopes.map((s) => html`<li>${Object.hasOwn(described, s) ? described[s] : s}</li>`)}</ul>`;
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
