// The error page shown when we cannot (or must not) redirect back to the application.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';

export interface ErrorPageProps {
  branding: Branding;
  title: string;
  message: string;
  requestId?: string | undefined;
}

export function ErrorPage({ branding, title, message, requestId }: ErrorPageProps): Html {
  return Layout({
    title,
    branding,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="alert" role="alert">${message}</p>`,
      html`<p class="muted">Go back to the application you came from and try again.</p>`,
      requestId ? html`<p class="muted small">Request id: ${requestId}</p>` : null,
    ],
  });
}
