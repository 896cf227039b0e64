// The sign-up form: username, email, name and password, with Turnstile's widget when it is configured.
import { html } from 'hono/html';
import { Layout, type Html, type PageBase } from './layout.ts';
import { PASSWORD_TOGGLE_PATH } from './password-toggle.ts';

export interface SignupPageProps extends PageBase {
  /** The invite link's token (SIGNUP=invite) and the address it binds, shown read-only. */
  invite: { token: string; email: string } | null;
  values: { username: string; email: string; name: string };
  error: string | null;
  /** Turnstile's site key, when configured. */
  turnstileSiteKey: string | null;
}

const INVALID = html` aria-describedby="form-error" aria-invalid="true"`;
export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js';

export function SignupPage({ branding, t, invite, values, error, turnstileSiteKey }: SignupPageProps): Html {
  const invalid = error ? INVALID : null;
  return Layout({
    title: t.createAccount,
    branding,
    t,
    children: [
      html`<h1>${t.createAccount}</h1>`,
      html`<p class="lead">${t.signupLead}</p>`,
      error ? html`<p class="alert" role="alert" id="form-error">${error}</p>` : null,
      html`<form method="post" action="/signup">`,
      invite ? html`<input type="hidden" name="invite" value="${invite.token}"/>` : null,
      html`<label for="username">${t.username}</label>`,
      html`<input id="username" name="username" type="text" value="${values.username}" required="" maxlength="64" autofocus="" autocomplete="username" autocapitalize="none" spellcheck="false"${invalid}/>`,
      html`<label for="email">${t.email}</label>`,
      invite
        ? html`<input id="email" name="email" type="email" value="${invite.email}" readonly="" autocomplete="email"/>`
        : html`<input id="email" name="email" type="email" value="${values.email}" required="" maxlength="254" autocomplete="email"${invalid}/>`,
      html`<label for="name">${t.name}</label>`,
      html`<input id="name" name="name" type="text" value="${values.name}" maxlength="200" autocomplete="name"/>`,
      html`<label for="password">${t.password}</label>`,
      html`<input id="password" name="password" type="password" required="" minlength="8" maxlength="1024" autocomplete="new-password" data-reveal="${t.showPassword}"${invalid}/>`,
      turnstileSiteKey ? html`<div class="cf-turnstile" data-sitekey="${turnstileSiteKey}"></div>` : null,
      html`<button type="submit">${t.createAccount}</button>`,
      html`</form>`,
      html`<script src="${PASSWORD_TOGGLE_PATH}" defer=""></script>`,
      turnstileSiteKey ? html`<script src="${TURNSTILE_SCRIPT_URL}" async="" defer=""></script>` : null,
    ],
  });
}
