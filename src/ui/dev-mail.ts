// /dev/mail (DEV_MODE only): the dev outbox, newest first, each message's links clickable and its text shown.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import type { OutboxMessage } from '../store/dev-outbox.ts';
import { Layout, type Html } from './layout.ts';

export interface DevMailEntry extends OutboxMessage {
  links: string[];
}

function entry(m: DevMailEntry): Html {
  return html`<article><h2>${m.subject}</h2><p class="muted small">To ${m.to} · ${new Date(m.sentAt * 1000).toISOString()}</p>${[
    html`<ul>${m.links.map((l) => html`<li><a href="${l}">${l}</a></li>`)}</ul>`,
    html`<pre>${m.text}</pre>`,
  ]}</article>`;
}

export function DevMailPage({ branding, messages }: { branding: Branding; messages: DevMailEntry[] }): Html {
  return Layout({
    title: 'Dev outbox',
    branding,
    children: [
      html`<h1>Dev outbox</h1>`,
      html`<p class="lead">Mail the provider would have sent (DEV_MODE). Also: <code>npm run admin -- mail list</code>.</p>`,
      messages.length ? messages.map(entry) : html`<p class="muted">No mail yet.</p>`,
    ],
  });
}
