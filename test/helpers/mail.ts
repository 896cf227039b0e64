// The dev outbox from a test: the newest mail to an address and its links, and the env that sends mail there.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { extractLinks } from '../../src/mail/links.ts';
import { listOutboxMessages, type OutboxMessage } from '../../src/store/dev-outbox.ts';

/** Bindings for callWithEnv / formWithEnv: dev mode, so mail lands in the outbox. */
export const DEV = { DEV_MODE: 'true' } as const;

export async function outboxFor(address: string): Promise<OutboxMessage[]> {
  return listOutboxMessages(env.DB, address);
}

/** The one link under `path` in the newest mail to the address. */
export async function mailedLink(address: string, path: string): Promise<URL> {
  const [newest] = await outboxFor(address);
  expect(newest, `no mail to ${address}`).toBeDefined();
  const link = extractLinks(newest!.text, newest!.html).map((l) => new URL(l)).find((u) => u.pathname === path);
  expect(link, `no ${path} link in the mail`).toBeDefined();
  return link!;
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match) throw new Error(`no ${name} field in page: ${html.slice(0, 200)}`);
  return match[1]!;
}
