// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import { html } from 'hono/html';
import { put, type Messages } from '../i18n/catalogue.ts';
import { fill, Layout, strong, type Html, type PageBase } from './layout.ts';
import { WebAuthnFields } from './webauthn.ts';
import { PASSWORD_TOGGLE_PATH } from './password-toggle.ts';
import { TURNSTILE_SCRIPT_URL } from './signup.ts';

export interface LoginPageProps extends PageBase {
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
const upstreamButtons = (t: Messages, transaction: string, providers: string[]) =>
  providers.length === 0
    ? null
    : html`<form method="post" action="/upstream/start" class="upstream"><input type="hidden" name="tx" value="${transaction}"/>${providers.map(
      (name) => html`<button type="submit" name="provider" value="${name}" class="secondary">${put(t.signInWith, { name: label(name) })}</button>`,
    )}</form>`;

const AUTOFOCUS = html` autofocus=""`;
const INVALID = html` aria-describedby="login-error" aria-invalid="true"`;

/** Its own form: no password is asked, and without JavaScript its button stays hidden. */
function PasskeyForm(t: Messages, action: string, transaction: string, passkey: NonNullable<LoginPageProps['passkey']>): Html {
  return html`<form method="post" action="${action}" class="passkey"><input type="hidden" name="tx" value="${transaction}"/><input type="hidden" name="method" value="passkey"/><input type="hidden" name="passkey_challenge" value="${passkey.sealed}"/>${WebAuthnFields({
    mode: 'get', challenge: passkey.challenge, rpId: passkey.rpId, label: t.signInWithPasskey, failed: t.passkeyNoAnswer, secondary: true, credentialIds: [], conditional: true,
  })}</form>`;
}

// formaction: the same form posts its transaction (and the name typed) to the forgot-password page, so the user can
// come back to this sign-in; the device flow's transaction is of another kind, so there it is a plain link.
const forgotPassword = (action: string, label: string) =>
  action === '/login'
    ? html`<button type="submit" class="link" formaction="/password/forgot" formnovalidate="">${label}</button>`
    : html`<p><a href="/password/forgot">${label}</a></p>`;

// formaction again: "Not you?" posts the transaction to /login/switch, which shows this page without the hint.
const notYou = (t: Messages) => html`<p class="hint-switch small">${t.notYou} <button type="submit" class="link" formaction="/login/switch" formnovalidate="">${t.useAnotherAccount}</button></p>`;
const signupLink = (t: Messages) => html`<p class="small">${t.noAccount} <a href="/signup">${t.createOne}</a></p>`;

export function LoginPage(props: LoginPageProps): Html {
  const { branding, t, clientName, transaction, username, error, action = '/login', notice = null, signupOpen, hinted, turnstileSiteKey, passkey, providers = [] } = props;
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
      hinted && action === '/login' ? notYou(t) : null,
      html`<label for="username">${t.username}</label>`,
      html`<input id="username" name="username" type="text" value="${username}" required="" maxlength="256"${[
        // "webauthn": the browser offers passkeys in this field's autofill (conditional mediation).
        html` autocomplete="username webauthn" autocapitalize="none" spellcheck="false"`,
        username ? null : AUTOFOCUS,
        invalid,
      ]}/>`,
      html`<label for="password">${t.password}</label>`,
      html`<input id="password" name="password" type="password" required="" maxlength="1024" autocomplete="current-password" data-reveal="${t.showPassword}"${[
        username ? AUTOFOCUS : null,
        invalid,
      ]}/>`,
      turnstileSiteKey ? html`<div class="cf-turnstile" data-sitekey="${turnstileSiteKey}"></div>` : null,
      html`<button type="submit">${t.signIn}</button>`,
      forgotPassword(action, t.forgotPassword),
      html`</form>`,
      action === '/login' ? upstreamButtons(t, transaction, providers) : null,
      passkey ? PasskeyForm(t, action, transaction, passkey) : null,
      signupOpen ? signupLink(t) : null,
      html`<script src="${PASSWORD_TOGGLE_PATH}" defer=""></script>`,
      turnstileSiteKey ? html`<script src="${TURNSTILE_SCRIPT_URL}" async="" defer=""></script>` : null,
    ],
  });
}
