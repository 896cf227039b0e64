// The account page's passkeys: each with its nickname, dates, a rename and a delete form; then "Add a passkey".
import { html } from 'hono/html';
import { put, type Messages } from '../i18n/catalogue.ts';
import type { Html } from './layout.ts';

export interface PasskeyItem {
  id: string;
  nickname: string;
  createdAt: number;
  lastUsedAt: number | null;
  backedUp: boolean;
}

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

function PasskeyEntry(t: Messages, p: PasskeyItem): Html {
  const T = t.account.passkeys;
  return html`<li class="passkey-item"><dl class="facts">${[
    html`<dt>${t.name}</dt><dd>${p.nickname}</dd>`,
    html`<dt>${T.added}</dt><dd>${day(p.createdAt)}</dd>`,
    html`<dt>${T.lastUsed}</dt><dd>${p.lastUsedAt === null ? T.never : day(p.lastUsedAt)}</dd>`,
    p.backedUp ? html`<dt>${T.synced}</dt><dd>${T.yes}</dd>` : null,
  ]}</dl><form method="post" action="/account/passkeys/rename">${[
    html`<input type="hidden" name="id" value="${p.id}"/>`,
    html`<label for="nickname-${p.id}">${T.newName}</label>`,
    html`<input id="nickname-${p.id}" name="nickname" type="text" required="" maxlength="64" value="${p.nickname}"/>`,
    html`<button type="submit" class="secondary">${T.rename}</button>`,
  ]}</form><form method="post" action="/account/passkeys/delete"><input type="hidden" name="id" value="${p.id}"/><button type="submit" class="secondary">${put(T.deleteNamed, { name: p.nickname })}</button></form></li>`;
}

/** `add` holds the WebAuthn fields (src/ui/webauthn.ts) and `challenge` their sealed challenge; the button needs JavaScript. */
export function PasskeyList({ t, passkeys, add, challenge }: { t: Messages; passkeys: PasskeyItem[]; add: Html; challenge: string }): Html {
  return html`${passkeys.length ? html`<ul class="passkeys">${passkeys.map((p) => PasskeyEntry(t, p))}</ul>` : html`<p class="muted">${t.account.passkeys.none}</p>`}<form method="post" action="/account/passkeys/register">${[
    html`<input type="hidden" name="challenge" value="${challenge}"/>`,
    html`<label for="new-passkey-name">${t.account.passkeys.nameNew}</label>`,
    html`<input id="new-passkey-name" name="nickname" type="text" maxlength="64"/>`,
    add,
  ]}</form>`;
}
