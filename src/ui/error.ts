// The error page shown when we cannot (or must not) redirect back to the application.
import { html } from 'hono/html';
import { Layout, type Html, type PageBase } from './layout.ts';

export interface ErrorPageProps extends PageBase {
  title: string;
  message: string;
  requestId?: string | undefined;
}

export function ErrorPage({ branding, t, title, message, requestId }: ErrorPageProps): Html {
  return Layout({
    title,
    branding,
    t,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="alert" role="alert">${message}</p>`,
      html`<p class="muted">${t.errorBack}</p>`,
      requestId ? html`<p class="muted small">${t.requestId(requestId)}</p>` : null,
    ],
  });
}
