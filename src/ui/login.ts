// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Html } from './layout.ts';
import { WebAuthnFields } from './webauthn.ts';
import { PASSWORD_TOGGLE_PATH } from './password-toggle.ts';
import { TURNSTILE_SCRIPT_URL } from './signup.ts';

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
  /** SIGNUP=open: a link to create an account. */
  signupOpen?: boolean;
  /** Prefilled from login_hint or id_token_hint: "Not you?" offers another account. */
  hinted?: boolean;
  /** Turnstile's widget, when a challenge is asked for (past the per-address limit). */
  turnstileSiteKey?: string | null;
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

// formaction again: "Not you?" posts the transaction to /login/switch, which shows this page without the hint.
const NOT_YOU = html`<p class="hint-switch small">Not you? <button type="submit" class="link" formaction="/login/switch" formnovalidate="">Use another account</button></p>`;
const SIGNUP_LINK = html`<p class="small">No account? <a href="/signup">Create one</a></p>`;

export function LoginPage(props: LoginPageProps): Html {
  const { branding, clientName, transaction, username, error, action = '/login', notice = null, signupOpen, hinted, turnstileSiteKey, passkey, providers = [] } = props;
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
      hinted && action === '/login' ? NOT_YOU : null,
      html`<label for="username">Username</label>`,
      html`<input id="username" name="username" type="text" value="${username}" required="" maxlength="256"${[
        // "webauthn": the browser offers passkeys in this field's autofill (conditional mediation).
        html` autocomplete="username webauthn" autocapitalize="none" spellcheck="false"`,
        username ? null : AUTOFOCUS,
        invalid,
      ]}/>`,
      html`<label for="password">Password</label>`,
      html`<input id="password" name="password" type="password" required="" maxlength="1024" autocomplete="current-password" data-reveal=""${[
        username ? AUTOFOCUS : null,
        invalid,
      ]}/>`,
      turnstileSiteKey ? html`<div class="cf-turnstile" data-sitekey="${turnstileSiteKey}"></div>` : null,
      html`<button type="submit">Sign in</button>`,
      forgotPassword(action),
      html`</form>`,
      action === '/login' ? upstreamButtons(transaction, providers) : null,
      passkey ? PasskeyForm(action, transaction, passkey) : null,
      signupOpen ? SIGNUP_LINK : null,
      html`<script src="${PASSWORD_TOGGLE_PATH}" defer=""></script>`,
      turnstileSiteKey ? html`<script src="${TURNSTILE_SCRIPT_URL}" async="" defer=""></script>` : null,
    ],
  });
}
