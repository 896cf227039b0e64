// The email verification pages: confirm from a link (a button, so a mail scanner's GET does nothing), or type the code.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';

export function ConfirmEmailPage({ branding, token }: { branding: Branding; token: string }): Html {
  return Layout({
    title: 'Confirm your email address',
    branding,
    children: [
      html`<h1>Confirm your email address</h1>`,
      html`<p class="lead">Confirm that this address belongs to your account.</p>`,
      html`<form method="post" action="/email/verify"><input type="hidden" name="token" value="${token}"/>`,
      html`<button type="submit">Confirm</button></form>`,
    ],
  });
}

export interface VerifyCodePageProps {
  branding: Branding;
  /** The sealed form naming the user whose code this is. */
  envelope: string;
  email: string;
  error: string | null;
}

export function VerifyCodePage({ branding, envelope, email, error }: VerifyCodePageProps): Html {
  return Layout({
    title: 'Enter the code',
    branding,
    children: [
      html`<h1>Check your email</h1>`,
      html`<p class="lead">We sent a 6-digit code to <strong>${email}</strong>. Enter it here, or follow the link in the email.</p>`,
      error ? html`<p class="alert" role="alert" id="form-error">${error}</p>` : null,
      html`<form method="post" action="/email/verify"><input type="hidden" name="ev" value="${envelope}"/>`,
      html`<label for="code">Code</label>`,
      html`<input id="code" name="code" type="text" class="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required="" autocomplete="one-time-code" autofocus=""/>`,
      html`<button type="submit">Confirm</button></form>`,
    ],
  });
}
