// Every URL in a message, for the dev outbox's listings (the page and `mail list`): the links a developer follows.
const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** The URLs of both bodies, in order of first appearance, each once (HTML's &amp; read as &). */
export function extractLinks(text: string, html = ''): string[] {
  return [...new Set(`${text}\n${html.replace(/&amp;/g, '&')}`.match(URL_PATTERN) ?? [])];
}
