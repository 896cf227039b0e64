// Logout pages: ask before signing out when the request cannot be tied to the session, then confirm.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { DecisionForm } from './decision.ts';
import { Layout, type Html } from './layout.ts';

export function LogoutConfirmPage({ branding, clientName, transaction }: { branding: Branding; clientName: string | null; transaction: string }): Html {
  return Layout({
    title: 'Sign out',
    branding,
    children: [
      html`<h1>Sign out?</h1>`,
      html`<p class="lead">${clientName ? `${clientName} asks to sign you out of ${branding.productName}.` : `Sign out of ${branding.productName}?`}</p>`,
      DecisionForm({ action: '/logout/confirm', transaction, yes: ['logout', 'Sign out'], no: ['stay', 'Stay signed in'] }),
    ],
  });
}

export function SignedOutPage({ branding, signedOut }: { branding: Branding; signedOut: boolean }): Html {
  return Layout({
    title: signedOut ? 'Signed out' : 'Still signed in',
    branding,
    children: [
      html`<h1>${signedOut ? 'You are signed out' : 'You are still signed in'}</h1>`,
      html`<p class="muted">You can close this window.</p>`,
    ],
  });
}
