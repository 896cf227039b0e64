// A page that a mailed link opens: one button that posts its token, so a mail scanner's GET uses up nothing.
import { html } from 'hono/html';
import { Layout, type Html, type PageBase } from './layout.ts';

export interface LinkConfirmPageProps extends PageBase {
  title: string;
  lead: string;
  action: string;
  token: string;
  submit: string;
}

export function LinkConfirmPage({ branding, t, title, lead, action, token, submit }: LinkConfirmPageProps): Html {
  return Layout({
    title,
    branding,
    t,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="lead">${lead}</p>`,
      html`<form method="post" action="${action}"><input type="hidden" name="token" value="${token}"/>`,
      html`<button type="submit">${submit}</button></form>`,
    ],
  });
}
