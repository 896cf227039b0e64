// An RFC 5322 message with a multipart/alternative body (RFC 2046 §5.1.4), for the send_email binding's raw form.
import { isMailAddress, type MailMessage } from './mail.ts';

const CRLF = '\r\n';
const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Base64 body lines of 76 characters (RFC 2045 §6.8). */
function base64Body(text: string): string {
  return (base64(encoder.encode(text.replace(/\r?\n/g, CRLF))).match(/.{1,76}/g) ?? []).join(CRLF);
}

/**
 * The subject as RFC 2047 encoded words when it is not plain printable ASCII; each word at most 75 characters
 * (§2), split between characters so no word ends inside a UTF-8 sequence, folded onto continuation lines.
 */
export function encodeSubject(subject: string): string {
  const clean = subject.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean) && clean.length <= 900) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    // 45 bytes of UTF-8 become 60 base64 characters, 72 with the "=?UTF-8?B?" and "?=" around them.
    if (encoder.encode(chunk + ch).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(`${CRLF} `);
}

/** RFC 5322 §3.3 date-time, in UTC. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export interface MimeOptions {
  from: string;
  /** Random: the part boundary and the Message-ID's left side. */
  nonce: string;
  date: Date;
}

export function buildMime(message: MailMessage, { from, nonce, date }: MimeOptions): string {
  if (!isMailAddress(from) || !isMailAddress(message.to)) throw new Error('an address is not a single email address');
  const boundary = `=_alt_${nonce}`;
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Body(body)].join(CRLF);
  return [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeSubject(message.subject)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${nonce}@${domain}>`,
    'MIME-Version: 1.0',
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}
