// The email verification pages: confirm from a link (a button, so a mail scanner's GET does nothing), or type the code.
import { html } from 'hono/html';
import { fill, Layout, strong, type Html, type PageBase } from './layout.ts';

export function ConfirmEmailPage({ branding, t, token }: PageBase & { token: string }): Html {
  return Layout({
    title: t.confirmEmail,
    branding,
    t,
    children: [
      html`<h1>${t.confirmEmail}</h1>`,
      html`<p class="lead">${t.confirmEmailLead}</p>`,
      html`<form method="post" action="/email/verify"><input type="hidden" name="token" value="${token}"/>`,
      html`<button type="submit">${t.confirm}</button></form>`,
    ],
  });
}

export interface VerifyCodePageProps extends PageBase {
  /** The sealed form naming the user whose code this is. */
  envelope: string;
  email: string;
  error: string | null;
}

export function VerifyCodePage({ branding, t, envelope, email, error }: VerifyCodePageProps): Html {
  return Layout({
    title: t.enterCode,
    branding,
    t,
    children: [
      html`<h1>${t.checkEmail}</h1>`,
      html`<p class="lead">${fill(t.codeSent, strong(email))}</p>`,
      error ? html`<p class="alert" role="alert" id="form-error">${error}</p>` : null,
      html`<form method="post" action="/email/verify"><input type="hidden" name="ev" value="${envelope}"/>`,
      html`<label for="code">${t.code}</label>`,
      html`<input id="code" name="code" type="text" class="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required="" autocomplete="one-time-code" autofocus=""/>`,
      html`<button type="submit">${t.confirm}</button></form>`,
    ],
  });
}
