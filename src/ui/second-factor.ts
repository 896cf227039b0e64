// The second-factor pages: verify a factor the user has, enrol one, or read what a factor shows once before going on.
import { html } from 'hono/html';
import type { Interstitial } from '../interaction/second-factors.ts';
import { put } from '../i18n/catalogue.ts';
import { fillIn, Layout, strong, type Html, type PageBase } from './layout.ts';

export const SECOND_FACTOR_ACTION = '/login/second-factor';

export interface SecondFactorPageProps extends PageBase {
  clientName: string;
  mode: 'verify' | 'enrol';
  /** Each factor's part, by its name: wrapped here in a form posting `factor=<name>` with the transaction. */
  factors: { name: string; body: Html }[];
  transaction: string;
  error: string | null;
  /** "Remember this device" is offered for this many days; 0: not offered. */
  rememberDays: number;
}

export function SecondFactorPage(p: SecondFactorPageProps): Html {
  const { t } = p;
  const text = p.mode === 'verify' ? { title: t.twoStepTitle, lead: t.twoStepLead } : { title: t.enrolTitle, lead: t.enrolLead };
  const remember = p.mode === 'verify' && p.rememberDays > 0
    ? html`<label class="check"><input type="checkbox" name="remember" value="1"/> ${put(t.rememberDevice, { days: p.rememberDays })}</label>`
    : null;
  return Layout({
    title: text.title,
    branding: p.branding,
    t,
    children: [
      html`<h1>${text.title}</h1>`,
      html`<p class="lead">${fillIn(t.toContinueTo, { lead: text.lead, client: strong(p.clientName) })}</p>`,
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

export interface InterstitialPageProps extends PageBase {
  interstitial: Interstitial;
  transaction: string;
}

/** Shown once (new recovery codes, how many remain), then Continue goes on with the sign-in. */
export function InterstitialPage({ branding, t, interstitial, transaction }: InterstitialPageProps): Html {
  return Layout({
    title: interstitial.title,
    branding,
    t,
    children: [
      html`<h1>${interstitial.title}</h1>`,
      html`<p class="lead">${interstitial.message}</p>`,
      interstitial.codes ? html`<ul class="codes">${interstitial.codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>` : null,
      html`<form method="post" action="${SECOND_FACTOR_ACTION}/continue"><input type="hidden" name="tx" value="${transaction}"/>`,
      html`<button type="submit">${t.continue}</button></form>`,
    ],
  });
}
