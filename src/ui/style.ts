// The one stylesheet, served from /assets/style.css so the CSP needs no inline styles.
/** The default brand mark and favicon (when no BRAND_LOGO_URL is set): a key in the accent colour. */
export function renderIcon(accentColor: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${accentColor}"/><circle cx="12" cy="16" r="5" fill="none" stroke="#fff" stroke-width="2.5"/><path d="M17 16h9m-3 0v4m-4-4v3" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/></svg>`;
}

export function renderStylesheet(accentColor: string): string {
  return `:root{--accent:${accentColor};--bg:#f4f5f7;--card:#fff;--text:#1c1f24;--muted:#555c66;--border:#c4c9d1;--input-border:#8a929e;--alert-bg:#fdecec;--alert:#a1151a;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1b1f25;--text:#e8eaed;--muted:#a9b0ba;--border:#3a414b;--input-border:#7d8693;--alert-bg:#3a1618;--alert:#ffb4b0}}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:8vh 16px 16px}
.card{width:100%;max-width:400px;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:32px 28px}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:20px;font-weight:600}
.logo{height:32px;width:auto}
.mark{height:28px;width:28px}
h1{font-size:1.5rem;margin:0 0 4px}
.lead{margin:0 0 20px;color:var(--muted)}
label{display:block;font-weight:600;margin:16px 0 6px}
input[type=text],input[type=password],input[type=email]{width:100%;font:inherit;padding:10px 12px;border:1px solid var(--input-border);border-radius:8px;background:transparent;color:inherit}
input:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{display:block;width:100%;margin-top:24px;font:inherit;font-weight:600;padding:11px 16px;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
button.link{display:inline;width:auto;margin:12px 0 0;padding:0;background:none;color:var(--link,var(--accent));font-weight:400;text-decoration:underline}
a{color:var(--link,var(--accent))}
@media (prefers-color-scheme:dark){:root{--link:color-mix(in srgb,var(--accent) 55%,#fff)}}
button.secondary{background:transparent;color:var(--text);border:1px solid var(--border);margin-top:12px}
[hidden]{display:none!important}
.passkeys{list-style:none;padding:0}
.alert{background:var(--alert-bg);color:var(--alert);padding:10px 12px;border-radius:8px;margin:0 0 8px}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.scopes{padding-left:1.2em}
.code{font-family:ui-monospace,"SF Mono",Menlo,Consolas,monospace;letter-spacing:.12em;text-transform:uppercase}
input.code{font-size:1.25rem;text-align:center}
.params dt{font-weight:600}
.params dd{margin:0 0 8px;word-break:break-all}
section{border-top:1px solid var(--border);margin-top:20px;padding-top:8px}
h2{font-size:1.1rem;margin:8px 0}
.facts{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
.facts dt{font-weight:600}
.facts dd{margin:0;word-break:break-word}
.documents{display:flex;gap:16px;margin-top:24px;padding-top:12px;border-top:1px solid var(--border)}
.reveal{display:flex;align-items:center;gap:8px;margin-top:8px;font-weight:400}
.reveal input{margin:0}
.hint-switch{margin:0 0 8px}
pre{white-space:pre-wrap;word-break:break-all;background:var(--bg);padding:12px;border-radius:8px;font-size:.85rem}
.qr{margin:12px 0;text-align:center}.qr svg{max-width:100%;height:auto;background:#fff}
.totp-key,.recovery-codes code{font-size:1rem;letter-spacing:.05em;word-break:break-all}
`;
}
