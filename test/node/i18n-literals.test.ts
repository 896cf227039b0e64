// No user-visible English written into a page, an email or the code that fills them: their text is the catalogue's (src/i18n/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The developer's own pages (npm run dev only) stay English; style and QR files hold no words.
const EXEMPT = /^src\/(ui\/(dev-[^/]*|style|qr[^/]*)|routes\/dev)\.ts$/;
// Where a user-visible text is written: the pages, the mail, and the code that picks what they say.
const FOLDERS = ['src/ui', 'src/mail/messages', 'src/routes', 'src/interaction', 'src/account', 'src/accounts', 'src/upstream', 'src/guards', 'src/errors.ts'];
// Developer diagnostics shown as such (RP-Initiated Logout's request errors, like error_description) are not UI text.
const ALLOWED_LINE = /new LogoutRequestError\(|console\.|OAuthError\(|^\s*(\/\/|\*|\/\*\*)/;

function sources(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.ts')).map((p) => join(path, p).replaceAll('\\', '/'));
}

/** Text between tags on html`` template lines, and quoted sentences (a capital, then two or more words). */
function englishLiterals(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (ALLOWED_LINE.test(line)) continue;
    const bare = line.replace(/\$\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, '');
    // Tags only where an html`` template is (a generic's <T> is no tag).
    if (bare.includes('html`')) for (const [, between] of bare.matchAll(/>([^<>`]*)</g)) if (/[A-Za-z]{2,}/.test(between!)) found.push(between!.trim());
    for (const [quoted] of bare.matchAll(/(['"`])[A-Z][a-z]+ [a-z]+ [a-z]+[^'"`]*\1/g)) found.push(quoted);
  }
  return found;
}

describe('pages, emails and what fills them', () => {
  const files = FOLDERS.flatMap(sources).filter((f) => !EXEMPT.test(f));

  it('read the catalogue (this test looks where it should)', () => {
    expect(files).toContain('src/ui/login.ts');
    expect(files).toContain('src/mail/messages/password-reset.ts');
  });

  it.each(files)('%s writes no English for users', (file) => {
    expect(englishLiterals(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
