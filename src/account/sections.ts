// The account page's sections: each renders its part of /account and may own routes under /account/<id>.
// A new section is one file and one line in ACCOUNT_SECTIONS.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import type { Html } from '../ui/layout.ts';
import { linkedSection } from './linked.ts';
import { securitySection } from './security.ts';
import type { AccountState } from './session.ts';

export interface AccountSection {
  /** Its path segment under /account and its element id on the page. */
  id: string;
  title: string;
  render(c: Context<AppEnv>, account: AccountState): Promise<Html>;
  /**
   * Mounted at /account/<id>, behind the account session (c.get('account')); every POST there also needs a
   * sign-in within RECENT_AUTH_SECONDS, or it answers with the sign-in page first (src/account/session.ts).
   */
  routes?: Hono<AppEnv>;
}

const profile: AccountSection = {
  id: 'profile',
  title: 'Profile',
  async render(_c, { user }) {
    return html`<dl class="facts"><dt>Username</dt><dd>${user.username}</dd>${[
      user.name ? html`<dt>Name</dt><dd>${user.name}</dd>` : null,
      user.email ? html`<dt>Email</dt><dd>${user.email}</dd>` : null,
    ]}</dl>`;
  },
};

/** In the order the page shows them. */
export const ACCOUNT_SECTIONS: AccountSection[] = [profile, securitySection, linkedSection];
