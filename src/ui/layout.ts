// The page shell shared by every HTML page: branding, stylesheet, landmarks, the language. No scripts.
// Pages are built with Hono's `html` tag, which escapes every interpolated string (text and attribute values).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Branding } from '../config.ts';
import type { Messages } from '../i18n/catalogue.ts';

/** A rendered fragment, as Hono's `html` tag returns it (a Promise only when a part is one; none of ours are). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Page content: a fragment or a list of them, in order; null renders nothing. */
export type Content = Html | null | readonly Content[];

/** What every page gets: the deployment's branding and the texts of the request's language (src/i18n/). */
export interface PageBase {
  branding: Branding;
  t: Messages;
}

export interface LayoutProps extends PageBase {
  title: string;
  children: Content;
}

const HEAD = [
  html`<meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>`,
  html`<meta name="color-scheme" content="light dark"/><meta name="referrer" content="no-referrer"/>`,
];
const LINKS = html`<link rel="stylesheet" href="/assets/style.css"/><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"/>`;
const MARK = html`<img src="/assets/icon.svg" alt="" class="mark"/>`;

/** The privacy and terms links (PRIVACY_POLICY_URL, TERMS_OF_SERVICE_URL), when configured. */
function documentLinks({ policyUri, tosUri }: Branding, t: Messages): Html | null {
  if (!policyUri && !tosUri) return null;
  return html`<footer class="documents small">${[
    policyUri ? html`<a href="${policyUri}">${t.privacy}</a>` : null,
    tosUri ? html`<a href="${tosUri}">${t.terms}</a>` : null,
  ]}</footer>`;
}

export function Layout({ title, branding, t, children }: LayoutProps): Html {
  const logo = branding.logoUrl ? html`<img src="${branding.logoUrl}" alt="" class="logo"/>` : MARK;
  return html`<!doctype html><html lang="${t.lang}"><head>${HEAD}<title>${title} · ${branding.productName}</title>${LINKS}</head>${[
    html`<body><main class="card">`,
    html`<header class="brand">${logo}<span class="product">${branding.productName}</span></header>`,
    children,
    documentLinks(branding, t),
    html`</main></body>`,
  ]}</html>`;
}

const SLOT = '\u0000';

/**
 * A catalogue sentence with markup around its values (<strong>, a link): the sentence is built with numbered
 * markers, then split, so its words are escaped as text and each value lands where the language puts it.
 */
export function fill(sentence: (...args: string[]) => string, ...values: (Html | string)[]): Html {
  const parts = sentence(...values.map((_, i) => `${SLOT}${i}${SLOT}`)).split(SLOT);
  return html`${parts.map((part, i) => (i % 2 ? values[Number(part)] : part))}`;
}

/** `<strong>` around a value, for fill. */
export const strong = (value: string): Html => html`<strong>${value}</strong>`;

/** fill for a text with `{name}` markers: each value (text or markup) lands where the language puts its marker. */
export function fillIn(text: string, values: Record<string, Html | string>): Html {
  const parts = text.split(/\{(\w+)\}/);
  return html`${parts.map((part, i) => (i % 2 && Object.hasOwn(values, part) ? values[part] : i % 2 ? `{${part}}` : part))}`;
}
