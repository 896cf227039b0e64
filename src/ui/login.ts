// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';

export interface LoginPageProps {
  branding: Branding;
  clientName: string;
  transaction: string;
  username: string;
  error: string | null;
  /** Where the form posts: /login for authorization requests, /device/login for the device flow. */
  action?: string;
  /** A status line above the form (a password just changed). */
  notice?: string | null;
  /** Enabled upstream providers' names: one "Sign in with ..." button each (issue 15). */
  providers?: string[];
}

const label = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

// A form of its own, so the buttons work without the username and password the main form requires.
const upstreamButtons = (transaction: string, providers: string[]) =>
  providers.length === 0
    ? null
    : html`<form method="post" action="/upstream/start" class="upstream"><input type="hidden" name="tx" value="${transaction}"/>${providers.map(
      (name) => html`<button type="submit" name="provider" value="${name}" class="secondary">Sign in with ${label(name)}</button>`,
    )}</form>`;

const AUTOFOCUS = html` autofocus=""`;
const INVALID = html` aria-describedby="login-error" aria-invalid="true"`;

// formaction: the same form posts its transaction (and the name typed) to the forgot-password page, so the user can
// come back to this sign-in; the device flow's transaction is of another kind, so there it is a plain link.
const forgotPassword = (action: string) =>
  action === '/login'
    ? html`<button type="submit" class="link" formaction="/password/forgot" formnovalidate="">Forgot password?</button>`
    : html`<p><a href="/password/forgot">Forgot password?</a></p>`;

export function LoginPage({ branding, clientName, transaction, username, error, action = '/login', notice = null, providers = [] }: LoginPageProps): Html {
  const invalid = error ? INVALID : null;
  return Layout({
    title: 'Sign in',
    branding,
    children: [
      html`<h1>Sign in</h1>`,
      html`<p class="lead">to continue to <strong>${clientName}</strong></p>`,
      notice ? html`<p class="lead" role="status">${notice}</p>` : null,
      error ? html`<p class="alert" role="alert" id="login-error">${error}</p>` : null,
      html`<form method="post" action="${action}">`,
      html`<input type="hidden" name="tx" value="${transaction}"/>`,
      html`<label for="username">Username</label>`,
      html`<input id="username" name="username" type="text" value="${username}" required="" maxlength="256"${[
        html` autocomplete="username" autocapitalize="none" spellcheck="false"`,
        username ? null : AUTOFOCUS,
        invalid,
      ]}/>`,
      html`<label for="password">Password</label>`,
      html`<input id="password" name="password" type="password" required="" maxlength="1024" autocomplete="current-password"${[
        username ? AUTOFOCUS : null,
        invalid,
      ]}/>`,
      html`<button type="submit">Sign in</button>`,
      forgotPassword(action),
      html`</form>`,
      action === '/login' ? upstreamButtons(transaction, providers) : null,
    ],
  });
}
