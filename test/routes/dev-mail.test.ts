import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { insertOutboxMessage } from '../../src/store/dev-outbox.ts';
import { call, callWithEnv } from '../helpers/fixtures.ts';
import { DEV } from '../helpers/mail.ts';

describe('/dev/mail (the dev outbox page)', () => {
  it('exists only in dev mode', async () => {
    expect((await call('/dev/mail')).status).toBe(404);
  });

  it('lists messages newest first with their links, escaped', async () => {
    const to = `page-${Date.now()}@example.com`;
    await insertOutboxMessage(env.DB, { id: `a-${to}`, to, subject: 'Older', text: 'https://id.example.test/one', html: '', sentAt: 1000 });
    await insertOutboxMessage(env.DB, { id: `b-${to}`, to, subject: '<b>Newer</b>', text: 'go https://id.example.test/two?x=1&y=2 now', html: '', sentAt: 2000 });
    const res = await callWithEnv(DEV, '/dev/mail');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('&lt;b&gt;Newer&lt;/b&gt;');
    expect(html).toContain('href="https://id.example.test/two?x=1&amp;y=2"');
    expect(html.indexOf('Newer')).toBeLessThan(html.indexOf('Older'));
  });
});
