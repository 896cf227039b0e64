// The account page's passkeys: each with its nickname, dates, a rename and a delete form; then "Add a passkey".
import { html } from 'hono/html';
import type { Html } from './layout.ts';

export interface PasskeyItem {
  id: string;
  nickname: string;
  createdAt: number;
  lastUsedAt: number | null;
  backedUp: boolean;
}

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

function PasskeyEntry(p: PasskeyItem): Html {
  return html`<li class="passkey-item"><dl class="facts">${[
    html`<dt>Name</dt><dd>${p.nickname}</dd>`,
    html`<dt>Added</dt><dd>${day(p.createdAt)}</dd>`,
    html`<dt>Last used</dt><dd>${p.lastUsedAt === null ? 'never' : day(p.lastUsedAt)}</dd>`,
    p.backedUp ? html`<dt>Synced</dt><dd>yes</dd>` : null,
  ]}</dl><form method="post" action="/account/passkeys/rename">${[
    html`<input type="hidden" name="id" value="${p.id}"/>`,
    html`<label for="nickname-${p.id}">New name</label>`,
    html`<input id="nickname-${p.id}" name="nickname" type="text" required="" maxlength="64" value="${p.nickname}"/>`,
    html`<button type="submit" class="secondary">Rename</button>`,
  ]}</form><form method="post" action="/account/passkeys/delete"><input type="hidden" name="id" value="${p.id}"/><button type="submit" class="secondary">Delete ${p.nickname}</button></form></li>`;
}

/** `add` holds the WebAuthn fields (src/ui/webauthn.ts) and `challenge` their sealed challenge; the button needs JavaScript. */
export function PasskeyList({ passkeys, add, challenge }: { passkeys: PasskeyItem[]; add: Html; challenge: string }): Html {
  return html`${passkeys.length ? html`<ul class="passkeys">${passkeys.map(PasskeyEntry)}</ul>` : html`<p class="muted">No passkeys yet.</p>`}<form method="post" action="/account/passkeys/register">${[
    html`<input type="hidden" name="challenge" value="${challenge}"/>`,
    html`<label for="new-passkey-name">Name for a new passkey (optional)</label>`,
    html`<input id="new-passkey-name" name="nickname" type="text" maxlength="64"/>`,
    add,
  ]}</form>`;
}
