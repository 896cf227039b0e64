// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';
import { WebAuthnFields } from './webauthn.ts';

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
  /** A passkey sign-in's challenge, sealed for this transaction (WebAuthn: discoverable credentials, conditional UI). */
  passkey?: { challenge: string; sealed: string; rpId: string };
}

const AUTOFOCUS = html` autofocus=""`;
const INVALID = html` aria-describedby="login-error" aria-invalid="true"`;

/** Its own form: no password is asked, and without JavaScript its button stays hidden. */
function PasskeyForm(action: string, transaction: string, passkey: NonNullable<LoginPageProps['passkey']>): Html {
  return html`<form method="post" action="${action}" class="passkey"><input type="hidden" name="tx" value="${transaction}"/><input type="hidden" name="method" value="passkey"/><input type="hidden" name="passkey_challenge" value="${passkey.sealed}"/>${WebAuthnFields({
    mode: 'get', challenge: passkey.challenge, rpId: passkey.rpId, label: 'Sign in with a passkey', secondary: true, credentialIds: [], conditional: true,
  })}</form>`;
}

// formaction: the same form posts its transaction (and the name typed) to the forgot-password page, so the user can
// come back to this sign-in; the device flow's transaction is of another kind, so there it is a plain link.
const forgotPassword = (action: string) =>
  action === '/login'
    ? html`<button type="submit" class="link" formaction="/password/forgot" formnovalidate="">Forgot password?</button>`
    : html`<p><a href="/password/forgot">Forgot password?</a></p>`;

export function LoginPage({ branding, clientName, transaction, username, error, action = '/login', notice = null, passkey }: LoginPageProps): Html {
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
        // "webauthn": the browser offers passkeys in this field's autofill (conditional mediation).
        html` autocomplete="username webauthn" autocapitalize="none" spellcheck="false"`,
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
      passkey ? PasskeyForm(action, transaction, passkey) : null,
    ],
  });
}
