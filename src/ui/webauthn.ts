// A WebAuthn ceremony on a page: its options as data attributes, read by /assets/webauthn.js (no inline script).
import { html } from 'hono/html';
import type { Html } from './layout.ts';

/** What navigator.credentials needs; every value is public, so the page may carry it. */
export interface WebAuthnOptions {
  mode: 'get' | 'create';
  challenge: string;
  rpId: string;
  /** Button text; the button stays hidden without JavaScript or WebAuthn. `secondary`: beside a primary form. */
  label: string;
  /** What the page says when the authenticator gives no answer (shown by the script; the catalogue's words). */
  failed: string;
  secondary?: boolean;
  /** get: the credentials to offer (empty for discoverable ones); create: those to exclude (WebAuthn L3 §5.4). */
  credentialIds: string[];
  /** get: also offer passkeys in the username field's autofill (conditional mediation). */
  conditional?: boolean;
  /** create: the account the new credential is for (user.id is the user id's UTF-8 bytes, base64url). */
  user?: { id: string; name: string; rpName: string };
}

export function WebAuthnFields(o: WebAuthnOptions): Html {
  return html`<div class="webauthn" data-webauthn="${o.mode}" data-challenge="${o.challenge}" data-rp-id="${o.rpId}" data-credentials="${JSON.stringify(o.credentialIds)}"${[
    o.conditional ? html` data-conditional=""` : null,
    o.user ? html` data-user-id="${o.user.id}" data-user-name="${o.user.name}" data-rp-name="${o.user.rpName}"` : null,
  ]}><input type="hidden" name="credential" value=""/><p class="alert" role="alert" hidden="">${o.failed}</p><button type="button" hidden=""${o.secondary ? html` class="secondary"` : null}>${o.label}</button></div><script src="/assets/webauthn.js" defer=""></script>`;
}
