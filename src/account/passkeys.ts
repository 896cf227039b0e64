// The account page's passkeys section: list, rename, delete, and add one (WebAuthn registration) at /account/passkeys.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { issueChallenge, openChallenge, sessionBinding } from '../interaction/passkey/ceremony.ts';
import { registerPasskey, registrationFields } from '../interaction/passkey/register.ts';
import { renderError } from '../interaction/render.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { readForm } from '../oauth/params.ts';
import { replicaReader } from '../store/db.ts';
import { deletePasskey, listUserPasskeys, renamePasskey } from '../store/passkeys.ts';
import { hasPassword } from '../store/user-row.ts';
import { PasskeyList } from '../ui/passkeys.ts';
import { ACCOUNT_PATH } from './client.ts';
import { sendSecurityNotice } from './notices.ts';
import type { AccountSection } from './sections.ts';
import { listUserLinks } from '../store/upstream-links.ts';

const backToAccount = (c: Context<AppEnv>) => c.redirect(`${ACCOUNT_PATH}#passkeys`, 303);
const T = (c: Context<AppEnv>) => texts(c).account.passkeys;
const notFound = (c: Context<AppEnv>) => renderError(c, 400, { text: T(c).notFoundTitle }, { text: T(c).notFound });

async function lastWayIn(db: D1Database, userId: string): Promise<boolean> {
  const [passkeys, links] = await Promise.all([listUserPasskeys(db, userId), listUserLinks(db, userId)]);
  return passkeys.length <= 1 && links.length === 0;
}

const routes = new Hono<AppEnv>()
  .post('/register', async (c) => {
    const { user, session } = c.get('account');
    const form = await readForm(c.req.raw);
    const issued = await openChallenge(c, form.get('challenge'), sessionBinding(session.idHash));
    const result = issued ? await registerPasskey(c, user.id, form, issued.challenge, issued.expiresAt) : { ok: false as const, error: T(c).formExpired };
    if (!result.ok) return renderError(c, 400, { text: T(c).notAddedTitle }, { text: result.error });
    sendSecurityNotice(c, user, 'passkey');
    return backToAccount(c);
  })
  .post('/rename', async (c) => {
    const { user } = c.get('account');
    const form = await readForm(c.req.raw);
    const nickname = (form.get('nickname') ?? '').trim();
    if (!nickname || !(await renamePasskey(c.env.DB, user.id, form.get('id') ?? '', nickname))) return notFound(c);
    recordAudit(c, { type: 'passkey.renamed', outcome: 'success', userId: user.id });
    return backToAccount(c);
  })
  .post('/delete', async (c) => {
    const { user } = c.get('account');
    const id = (await readForm(c.req.raw)).get('id') ?? '';
    // A passwordless account keeps its last passkey unless an upstream sign-in is linked: else nobody could sign in.
    if (!hasPassword(user) && (await lastWayIn(c.env.DB, user.id))) {
      return renderError(c, 400, { text: T(c).keptTitle }, { text: T(c).kept });
    }
    if (!(await deletePasskey(c.env.DB, user.id, id))) return notFound(c);
    recordAudit(c, { type: 'passkey.deleted', outcome: 'success', userId: user.id });
    sendSecurityNotice(c, user, 'passkey');
    return backToAccount(c);
  });

export const passkeysSection: AccountSection = {
  id: 'passkeys',
  title: (t) => t.account.passkeys.title,
  async render(c, { user, session }) {
    const [passkeys, issued] = await Promise.all([listUserPasskeys(replicaReader(c.env.DB), user.id), issueChallenge(c, sessionBinding(session.idHash))]);
    return PasskeyList({
      t: texts(c),
      passkeys: passkeys.map((p) => ({ id: p.credentialId, nickname: p.nickname, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, backedUp: p.backedUp })),
      add: await registrationFields(c, user, issued.challenge),
      challenge: issued.sealed,
    });
  },
  routes,
};
