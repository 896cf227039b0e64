// The second-factor pages: verify a factor the user has, enrol one, or read what a factor shows once before going on.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import type { Interstitial } from '../interaction/second-factors.ts';
import { Layout, type Html } from './layout.ts';

export const SECOND_FACTOR_ACTION = '/login/second-factor';

export interface SecondFactorPageProps {
  branding: Branding;
  clientName: string;
  mode: 'verify' | 'enrol';
  /** Each factor's part, by its name: wrapped here in a form posting `factor=<name>` with the transaction. */
  factors: { name: string; body: Html }[];
  transaction: string;
  error: string | null;
  /** "Remember this device" is offered for this many days; 0: not offered. */
  rememberDays: number;
}

const TEXT = {
  verify: { title: 'Two-step verification', lead: 'Confirm it is you with your second factor' },
  enrol: { title: 'Set up two-step verification', lead: 'Add a second factor to your account' },
};

export function SecondFactorPage(p: SecondFactorPageProps): Html {
  const text = TEXT[p.mode];
  const remember = p.mode === 'verify' && p.rememberDays > 0
    ? html`<label class="check"><input type="checkbox" name="remember" value="1"/> Remember this device for ${p.rememberDays} days</label>`
    : null;
  return Layout({
    title: text.title,
    branding: p.branding,
    children: [
      html`<h1>${text.title}</h1>`,
      html`<p class="lead">${text.lead} to continue to <strong>${p.clientName}</strong></p>`,
      p.error ? html`<p class="alert" role="alert">${p.error}</p>` : null,
      p.factors.map(
        (f) => html`<form method="post" action="${SECOND_FACTOR_ACTION}" data-factor="${f.name}">${[
          html`<input type="hidden" name="tx" value="${p.transaction}"/><input type="hidden" name="factor" value="${f.name}"/>`,
          // Before the factor's fields and button, so it is ticked before the form is sent.
          remember,
          f.body,
        ]}</form>`,
      ),
    ],
  });
}

export interface InterstitialPageProps {
  branding: Branding;
  interstitial: Interstitial;
  transaction: string;
}

/** Shown once (new recovery codes, how many remain), then Continue goes on with the sign-in. */
export function InterstitialPage({ branding, interstitial, transaction }: InterstitialPageProps): Html {
  return Layout({
    title: interstitial.title,
    branding,
    children: [
      html`<h1>${interstitial.title}</h1>`,
      html`<p class="lead">${interstitial.message}</p>`,
      interstitial.codes ? html`<ul class="codes">${interstitial.codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>` : null,
      html`<form method="post" action="${SECOND_FACTOR_ACTION}/continue"><input type="hidden" name="tx" value="${transaction}"/>`,
      html`<button type="submit">Continue</button></form>`,
    ],
  });
}
