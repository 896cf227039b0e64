// The gateway's pages: signed out, signed in (with a protected API response), and errors. No scripts.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

// Without the doctype, browsers render the page in quirks mode (HTML Living Standard §13.2.6.4.1).
function Page({ title, children }: { title: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${title} · API gateway`}</title>
          <link rel="stylesheet" href="/style.css" />
        </head>
        <body>
          <main class="card">
            <header class="brand">API gateway <span class="muted">· an edge-oidc client</span></header>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export function SignedOutPage({ notice }: { notice: string | null }) {
  return (
    <Page title="Welcome">
      <h1>You are not signed in</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p class="lead">This gateway guards its <code>/api</code> with access tokens from edge-oidc.</p>
      <a class="button" href="/login">Sign in</a>
    </Page>
  );
}

export interface SignedInPageProps {
  displayName: string;
  username: string | null;
  sub: string;
  expiresAt: number;
  api: { path: string; status: number; body: string };
}

export function SignedInPage({ displayName, username, sub, expiresAt, api }: SignedInPageProps) {
  return (
    <Page title="Signed in">
      <h1>Hello, {displayName}</h1>
      <p class="lead">
        You are signed in{username ? <> as <strong>{username}</strong></> : null}. Your session ends at{' '}
        <time datetime={new Date(expiresAt * 1000).toISOString()}>{new Date(expiresAt * 1000).toISOString().slice(11, 16)} UTC</time>.
      </p>
      <h2>Protected API</h2>
      <p class="muted small">
        <code>GET {api.path}</code> with your access token as a Bearer token answered <strong id="api-status">{api.status}</strong>:
      </p>
      <pre id="api-response">{api.body}</pre>
      <p class="small muted">Subject: <code>{sub}</code></p>
      <nav class="actions">
        <a class="button secondary" href={api.path}>Open {api.path}</a>
        <a class="button secondary" href="/login?prompt=login">Sign in again</a>
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </nav>
    </Page>
  );
}

export function ErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p class="alert" role="alert">{message}</p>
      <a class="button" href="/">Back to the start</a>
    </Page>
  );
}

export const STYLESHEET = `:root{--accent:#0f766e;--bg:#f4f5f7;--card:#fff;--text:#1c1f24;--muted:#555c66;--border:#c4c9d1;--alert-bg:#fdecec;--alert:#a1151a;--ok-bg:#e7f6ee;--ok:#115c32;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--accent:#2dd4bf;--bg:#111418;--card:#1b1f25;--text:#e8eaed;--muted:#a9b0ba;--border:#3a414b;--alert-bg:#3a1618;--alert:#ffb4b0;--ok-bg:#12301f;--ok:#9ee6b8}}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:8vh 16px 16px}
.card{width:100%;max-width:560px;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:32px 28px}
.brand{font-weight:600;margin-bottom:20px}
h1{font-size:1.5rem;margin:0 0 8px}
h2{font-size:1.1rem;margin:24px 0 4px}
.lead{margin:0 0 20px;color:var(--muted)}
.muted{color:var(--muted)}
.small{font-size:.875rem}
.button,button{display:inline-block;font:inherit;font-weight:600;padding:10px 18px;border:1px solid var(--accent);border-radius:8px;background:var(--accent);color:var(--card);text-decoration:none;cursor:pointer}
.button.secondary{background:transparent;color:var(--text);border-color:var(--border)}
.button:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:12px;margin-top:24px}
.actions form{margin:0}
.alert{background:var(--alert-bg);color:var(--alert);padding:10px 12px;border-radius:8px}
.notice{background:var(--ok-bg);color:var(--ok);padding:10px 12px;border-radius:8px}
pre{white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--border);padding:12px;border-radius:8px;font-size:.8rem;margin:8px 0}
code{font-size:.9em}
`;
