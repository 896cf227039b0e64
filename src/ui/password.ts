// The password pages: forgot (ask for a name), reset (choose a new one from a link), change (required at sign-in).
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { Layout, type Content, type Html } from './layout.ts';

const alert = (error: string | null): Content => (error ? html`<p class="alert" role="alert" id="form-error">${error}</p>` : null);
const INVALID = html` aria-describedby="form-error" aria-invalid="true"`;

export interface ForgotPasswordPageProps {
  branding: Branding;
  /** The sign-in transaction to resume after the reset, when the user came from a sign-in page. */
  transaction: string | null;
  identifier: string;
  error: string | null;
}

export function ForgotPasswordPage({ branding, transaction, identifier, error }: ForgotPasswordPageProps): Html {
  return Layout({
    title: 'Forgot password',
    branding,
    children: [
      html`<h1>Forgot password?</h1>`,
      html`<p class="lead">Enter your username or email address. If an account matches, we send a link to choose a new password.</p>`,
      alert(error),
      html`<form method="post" action="/password/forgot">`,
      transaction ? html`<input type="hidden" name="tx" value="${transaction}"/>` : null,
      html`<label for="identifier">Username or email</label>`,
      html`<input id="identifier" name="identifier" type="text" value="${identifier}" required="" maxlength="256" autofocus=""${[
        html` autocomplete="username" autocapitalize="none" spellcheck="false"`,
        error ? INVALID : null,
      ]}/>`,
      html`<button type="submit">Send reset link</button>`,
      html`</form>`,
    ],
  });
}

export interface NewPasswordPageProps {
  branding: Branding;
  username: string;
  error: string | null;
  /** Where the form posts and the hidden field that identifies the request there (the link token or a transaction). */
  action: string;
  hidden: { name: 'token' | 'tx'; value: string };
  heading: string;
  lead: string;
}

/** Choosing a new password; the username field lets password managers save the new password under the account. */
export function NewPasswordPage({ branding, username, error, action, hidden, heading, lead }: NewPasswordPageProps): Html {
  const invalid = error ? INVALID : null;
  return Layout({
    title: heading,
    branding,
    children: [
      html`<h1>${heading}</h1>`,
      html`<p class="lead">${lead}</p>`,
      alert(error),
      html`<form method="post" action="${action}">`,
      html`<input type="hidden" name="${hidden.name}" value="${hidden.value}"/>`,
      html`<input type="text" name="username" value="${username}" autocomplete="username" readonly="" hidden=""/>`,
      html`<label for="password">New password</label>`,
      html`<input id="password" name="password" type="password" required="" minlength="8" maxlength="1024" autocomplete="new-password" autofocus=""${invalid}/>`,
      html`<label for="confirm">Repeat the new password</label>`,
      html`<input id="confirm" name="confirm" type="password" required="" minlength="8" maxlength="1024" autocomplete="new-password"${invalid}/>`,
      html`<button type="submit">Set new password</button>`,
      html`</form>`,
    ],
  });
}

export interface NoticePageProps {
  branding: Branding;
  title: string;
  message: string;
  /** A link onwards (back to the application, to sign in). */
  link?: { label: string; href: string } | null;
}

/** A page that only tells: a mail was sent, a password changed, an address verified. */
export function NoticePage({ branding, title, message, link }: NoticePageProps): Html {
  return Layout({
    title,
    branding,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="lead" role="status">${message}</p>`,
      link ? html`<p><a href="${link.href}">${link.label}</a></p>` : null,
    ],
  });
}
