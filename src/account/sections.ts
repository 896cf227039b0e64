// The account page's sections: each renders its part of /account and may own routes under /account/<id>.
// A new section is one file and one line in ACCOUNT_SECTIONS.
import type { Context } from 'hono';
import type { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import type { Messages } from '../i18n/catalogue.ts';
import type { Html } from '../ui/layout.ts';
import { linkedSection } from './linked.ts';
import { securitySection } from './security.ts';
import { passkeysSection } from './passkeys.ts';
import type { AccountState } from './session.ts';
import { appsSection } from './sections/apps.ts';
import { deleteSection } from './sections/delete.ts';
import { passwordSection } from './sections/password.ts';
import { profileSection } from './sections/profile.ts';
import { sessionsSection } from './sections/sessions.ts';

export interface AccountSection {
  /** Its path segment under /account and its element id on the page. */
  id: string;
  /** Its heading, from the catalogue (src/i18n/) in the page's language. */
  title: (t: Messages) => string;
  render(c: Context<AppEnv>, account: AccountState): Promise<Html>;
  /**
   * Mounted at /account/<id>, behind the account session (c.get('account')); every POST there also needs a
   * sign-in within RECENT_AUTH_SECONDS, or it answers with the sign-in page first (src/account/session.ts).
   */
  routes?: Hono<AppEnv>;
}

/** In the order the page shows them. */
export const ACCOUNT_SECTIONS: AccountSection[] = [
  profileSection, passwordSection, passkeysSection, securitySection, linkedSection, sessionsSection, appsSection, deleteSection,
];
