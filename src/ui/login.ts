// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import { html } from 'hono/html';
import { fill, Layout, strong, type Html, type PageBase } from './layout.ts';

export interface LoginPageProps extends PageBase {
  clientName: string;
  transaction: string;
  username: string;
  error: string | null;
  /** Where the form posts: /login for authorization requests, /device/login for the device flow. */
  action?: string;
  /** A status line above the form (a password just changed). */
  notice?: string | null;
}

const AUTOFOCUS = html` autofocus=""`;
const INVALID = html` aria-describedby="login-error" aria-invalid="true"`;

// formaction: the same form posts its transaction (and the name typed) to the forgot-password page, so the user can
// come back to this sign-in; the device flow's transaction is of another kind, so there it is a plain link.
const forgotPassword = (action: string, label: string) =>
  action === '/login'
    ? html`<button type="submit" class="link" formaction="/password/forgot" formnovalidate="">${label}</button>`
    : html`<p><a href="/password/forgot">${label}</a></p>`;

export function LoginPage({ branding, t, clientName, transaction, username, error, action = '/login', notice = null }: LoginPageProps): Html {
  const invalid = error ? INVALID : null;
  return Layout({
    title: t.signIn,
    branding,
    t,
    children: [
      html`<h1>${t.signIn}</h1>`,
      html`<p class="lead">${fill(t.signInTo, strong(clientName))}</p>`,
      notice ? html`<p class="lead" role="status">${notice}</p>` : null,
      error ? html`<p class="alert" role="alert" id="login-error">${error}</p>` : null,
      html`<form method="post" action="${action}">`,
      html`<input type="hidden" name="tx" value="${transaction}"/>`,
      html`<label for="username">${t.username}</label>`,
      html`<input id="username" name="username" type="text" value="${username}" required="" maxlength="256"${[
        html` autocomplete="username" autocapitalize="none" spellcheck="false"`,
        username ? null : AUTOFOCUS,
        invalid,
      ]}/>`,
      html`<label for="password">${t.password}</label>`,
      html`<input id="password" name="password" type="password" required="" maxlength="1024" autocomplete="current-password"${[
        username ? AUTOFOCUS : null,
        invalid,
      ]}/>`,
      html`<button type="submit">${t.signIn}</button>`,
      forgotPassword(action, t.forgotPassword),
      html`</form>`,
    ],
  });
}
