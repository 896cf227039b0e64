// Logout pages: ask before signing out when the request cannot be tied to the session, then confirm.
import { html } from 'hono/html';
import { DecisionForm } from './decision.ts';
import { Layout, type Html, type PageBase } from './layout.ts';

export function LogoutConfirmPage({ branding, t, clientName, transaction }: PageBase & { clientName: string | null; transaction: string }): Html {
  return Layout({
    title: t.signOut,
    branding,
    t,
    children: [
      html`<h1>${t.signOutQ}</h1>`,
      html`<p class="lead">${clientName ? t.clientSignsOut(clientName, branding.productName) : t.signOutOf(branding.productName)}</p>`,
      DecisionForm({ action: '/logout/confirm', transaction, yes: ['logout', t.signOut], no: ['stay', t.staySignedIn] }),
    ],
  });
}

export function SignedOutPage({ branding, t, signedOut }: PageBase & { signedOut: boolean }): Html {
  return Layout({
    title: signedOut ? t.signedOut : t.stillSignedIn,
    branding,
    t,
    children: [
      html`<h1>${signedOut ? t.youAreSignedOut : t.youAreStillSignedIn}</h1>`,
      html`<p class="muted">${t.closeWindow}</p>`,
    ],
  });
}
