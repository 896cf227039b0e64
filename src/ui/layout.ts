// The page shell shared by every HTML page: branding, stylesheet, landmarks. No scripts.
// Pages are built with Hono's `html` tag, which escapes every interpolated string (text and attribute values).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Branding } from '../config.ts';

/** A rendered fragment, as Hono's `html` tag returns it (a Promise only when a part is one; none of ours are). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Page content: a fragment or a list of them, in order; null renders nothing. */
export type Content = Html | null | readonly Content[];

export interface LayoutProps {
  title: string;
  branding: Branding;
  children: Content;
}

const HEAD = [
  html`<meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>`,
  html`<meta name="color-scheme" content="light dark"/><meta name="referrer" content="no-referrer"/>`,
];
const LINKS = html`<link rel="stylesheet" href="/assets/style.css"/><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"/>`;
const MARK = html`<img src="/assets/icon.svg" alt="" class="mark"/>`;

/** The privacy and terms links (PRIVACY_POLICY_URL, TERMS_OF_SERVICE_URL), when configured. */
function documentLinks({ policyUri, tosUri }: Branding): Html | null {
  if (!policyUri && !tosUri) return null;
  return html`<footer class="documents small">${[
    policyUri ? html`<a href="${policyUri}">Privacy</a>` : null,
    tosUri ? html`<a href="${tosUri}">Terms</a>` : null,
  ]}</footer>`;
}

export function Layout({ title, branding, children }: LayoutProps): Html {
  const logo = branding.logoUrl ? html`<img src="${branding.logoUrl}" alt="" class="logo"/>` : MARK;
  return html`<!doctype html><html lang="en"><head>${HEAD}<title>${title} · ${branding.productName}</title>${LINKS}</head>${[
    html`<body><main class="card">`,
    html`<header class="brand">${logo}<span class="product">${branding.productName}</span></header>`,
    children,
    documentLinks(branding),
    html`</main></body>`,
  ]}</html>`;
}
