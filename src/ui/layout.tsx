// The page shell shared by every HTML page: branding, stylesheet, landmarks. No scripts.
import type { Child } from 'hono/jsx';
import type { Branding } from '../env.ts';

export interface LayoutProps {
  title: string;
  branding: Branding;
  children: Child;
}

export function Layout({ title, branding, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${branding.productName}`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
      </head>
      <body>
        <main class="card">
          <header class="brand">
            {branding.logoUrl ? <img src={branding.logoUrl} alt="" class="logo" /> : <img src="/assets/icon.svg" alt="" class="mark" />}
            <span class="product">{branding.productName}</span>
          </header>
          {children}
        </main>
      </body>
    </html>
  );
}
