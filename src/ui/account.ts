// The account page: who is signed in, then one card section per entry of ACCOUNT_SECTIONS.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';

export interface AccountPageProps {
  branding: Branding;
  username: string;
  sections: { id: string; title: string; body: Html }[];
  /** What the last change did (after POST/redirect/GET), or null. */
  notice?: string | null;
}

export function AccountPage({ branding, username, sections, notice = null }: AccountPageProps): Html {
  return Layout({
    title: 'Your account',
    branding,
    children: [
      html`<h1>Your account</h1>`,
      html`<p class="lead">Signed in as <strong>${username}</strong></p>`,
      notice ? html`<p class="lead" role="status">${notice}</p>` : null,
      sections.map((s) => html`<section id="${s.id}" aria-labelledby="${s.id}-title"><h2 id="${s.id}-title">${s.title}</h2>${s.body}</section>`),
      html`<p class="muted"><a href="/logout">Sign out</a></p>`,
    ],
  });
}
