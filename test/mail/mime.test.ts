import { describe, expect, it } from 'vitest';
import { buildMime, encodeSubject } from '../../src/mail/mime.ts';

const MESSAGE = { to: 'ada@example.com', subject: 'Réinitialiser · mot de passe', text: 'Bonjour,\nvoici le lien: https://id.example.test/x', html: '<p>Bonjour</p>' };
const OPTIONS = { from: 'no-reply@id.example.test', nonce: 'n0nce', date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };

function decodeWords(header: string): string {
  return header.replace(/\r\n /g, '').replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) =>
    new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))));
}

describe('buildMime (RFC 5322, RFC 2045-2047)', () => {
  it('writes CRLF headers, a multipart/alternative body with base64 UTF-8 parts, and a closing boundary', () => {
    const raw = buildMime(MESSAGE, OPTIONS);
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.slice(0, split);
    const body = raw.slice(split + 4);
    expect(head.split('\r\n')).toEqual(expect.arrayContaining([
      'From: no-reply@id.example.test', 'To: ada@example.com', 'Date: Fri, 02 Jan 2026 03:04:05 +0000',
      'Message-ID: <n0nce@id.example.test>', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="=_alt_n0nce"',
    ]));
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(body).toContain('--=_alt_n0nce\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64');
    expect(body).toContain('Content-Type: text/html; charset=utf-8');
    expect(raw.endsWith('--=_alt_n0nce--\r\n')).toBe(true);
    const textPart = body.split('\r\n\r\n')[1]!.split('\r\n--')[0]!;
    for (const line of textPart.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(new TextDecoder().decode(Uint8Array.from(atob(textPart.replace(/\r\n/g, '')), (c) => c.charCodeAt(0)))).toBe(MESSAGE.text.replace(/\n/g, '\r\n'));
  });

  it('encodes a non-ASCII subject as RFC 2047 words of at most 75 characters that decode back', () => {
    const subject = 'Ünïcødé '.repeat(12);
    const encoded = encodeSubject(subject);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(encoded)).toBe(subject);
    expect(encodeSubject('Plain subject')).toBe('Plain subject');
  });

  it('refuses header injection through an address and folds newlines out of the subject', () => {
    expect(() => buildMime({ ...MESSAGE, to: 'a@example.com\r\nBcc: b@example.com' }, OPTIONS)).toThrow();
    expect(() => buildMime(MESSAGE, { ...OPTIONS, from: 'x' })).toThrow();
    expect(encodeSubject('a\r\nBcc: x@example.com')).toBe('a Bcc: x@example.com');
  });
});
