// The account page: who is signed in, then one card section per entry of ACCOUNT_SECTIONS.
import { html } from 'hono/html';
import { fill, Layout, strong, type Html, type PageBase } from './layout.ts';

export interface AccountPageProps extends PageBase {
  username: string;
  sections: { id: string; title: string; body: Html }[];
  /** What the last change did (after POST/redirect/GET), or null. */
  notice?: string | null;
}

export function AccountPage({ branding, t, username, sections, notice = null }: AccountPageProps): Html {
  return Layout({
    title: t.yourAccount,
    branding,
    t,
    children: [
      html`<h1>${t.yourAccount}</h1>`,
      html`<p class="lead">${fill(t.signedInAs, strong(username))}</p>`,
      notice ? html`<p class="lead" role="status">${notice}</p>` : null,
      sections.map((s) => html`<section id="${s.id}" aria-labelledby="${s.id}-title"><h2 id="${s.id}-title">${s.title}</h2>${s.body}</section>`),
      html`<p class="muted"><a href="/logout">${t.signOut}</a></p>`,
    ],
  });
}
