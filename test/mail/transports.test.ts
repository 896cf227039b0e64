import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bindings } from '../../src/bindings.ts';
import { MAIL_ATTEMPTS, sendWithRetries } from '../../src/mail/retry.ts';
import { MailConfigError, readMailSettings, type MailMessage, type MailTransport } from '../../src/mail/mail.ts';
import { cloudflareTransport } from '../../src/mail/cloudflare.ts';
import { httpTransport, outboxTransport } from '../../src/mail/transports.ts';
import { listOutboxMessages } from '../../src/store/dev-outbox.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { createUser, formWithEnv } from '../helpers/fixtures.ts';

const MESSAGE: MailMessage = { to: 'ada@example.com', subject: 'Hello', text: 'secret link https://id.example.test/password/reset?token=SECRET', html: '<p>x</p>' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readMailSettings (EMAIL_TRANSPORT, EMAIL_FROM)', () => {
  const base = env as unknown as Bindings;
  it('defaults to the outbox in dev mode and refuses it outside', () => {
    expect(readMailSettings({ ...base, EMAIL_TRANSPORT: undefined }, true).transport).toBe('outbox');
    expect(() => readMailSettings({ ...base, EMAIL_TRANSPORT: 'outbox' }, false)).toThrow(MailConfigError);
  });

  it('needs one EMAIL_FROM address for real transports and refuses unknown names', () => {
    expect(readMailSettings({ ...base, EMAIL_TRANSPORT: 'http', EMAIL_FROM: 'id@example.com' }, false)).toEqual({ transport: 'http', from: 'id@example.com' });
    expect(() => readMailSettings({ ...base, EMAIL_TRANSPORT: 'http', EMAIL_FROM: 'a@b.c\r\nBcc: x@y.z' }, false)).toThrow(MailConfigError);
    expect(() => readMailSettings({ ...base, EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: 'id@example.com' }, false)).toThrow(MailConfigError);
  });
});

describe('the transports', () => {
  it('http: POSTs JSON with the bearer key and fails on a non-2xx answer', async () => {
    const calls: Request[] = [];
    const fetcher = async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Request(input, init));
      return new Response('{}', { status: calls.length === 1 ? 200 : 502 });
    };
    const transport = httpTransport('https://api.mail.example/emails', 'key-123', 'id@example.com', fetcher as typeof fetch);
    await transport.send(MESSAGE);
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer key-123');
    expect(await calls[0]!.json()).toEqual({ from: 'id@example.com', ...MESSAGE });
    await expect(transport.send(MESSAGE)).rejects.toThrow('email API answered 502');
    await expect(httpTransport('http://insecure.example', 'k', 'id@example.com', fetcher as typeof fetch).send(MESSAGE)).rejects.toThrow(MailConfigError);
    await expect(httpTransport('https://api.mail.example', undefined, 'id@example.com', fetcher as typeof fetch).send(MESSAGE)).rejects.toThrow(MailConfigError);
  });

  it('cloudflare: hands the binding an EmailMessage from EMAIL_FROM to the recipient', async () => {
    const sent: EmailMessage[] = [];
    const binding = { send: async (m: EmailMessage) => { sent.push(m); return { messageId: 'x' }; } } as unknown as SendEmail;
    await cloudflareTransport(binding, 'id@example.com').send(MESSAGE);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe('id@example.com');
    expect(sent[0]!.to).toBe('ada@example.com');
    await expect(cloudflareTransport(undefined, 'id@example.com').send(MESSAGE)).rejects.toThrow(MailConfigError);
  });

  it('outbox: stores in dev mode only', async () => {
    const to = `outbox-${Date.now()}@example.com`;
    await outboxTransport(env.DB, true).send({ ...MESSAGE, to });
    expect((await listOutboxMessages(env.DB, to))[0]).toMatchObject({ to, subject: 'Hello', text: MESSAGE.text });
    await expect(outboxTransport(env.DB, false).send({ ...MESSAGE, to: `never-${to}` })).rejects.toThrow(MailConfigError);
    expect(await listOutboxMessages(env.DB, `never-${to}`)).toEqual([]);
  });
});

describe('delivery', () => {
  it('retries a bounded number of times and returns the last error', async () => {
    let attempts = 0;
    const failing: MailTransport = { name: 'http', send: async () => { attempts++; throw new Error('down'); } };
    const waits: number[] = [];
    const error = await sendWithRetries(failing, MESSAGE, async (ms) => { waits.push(ms); });
    expect(attempts).toBe(MAIL_ATTEMPTS);
    expect(waits).toHaveLength(MAIL_ATTEMPTS - 1);
    expect((error as Error).message).toBe('down');
    let flaky = 0;
    const recovers: MailTransport = { name: 'http', send: async () => { if (flaky++ === 0) throw new Error('once'); } };
    expect(await sendWithRetries(recovers, MESSAGE, async () => undefined)).toBeNull();
  });

  it('logs and audits a failed send without the token, and answers the requester as usual', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => { logged.push(String(line)); });
    const user = await createUser();
    const res = await formWithEnv({ EMAIL_TRANSPORT: 'http', EMAIL_FROM: 'id@example.com' }, '/password/forgot', { identifier: user.username });
    expect(res.status).toBe(200);
    expect(logged.join('\n')).toContain('mail send failed');
    const { results } = await env.DB.prepare('SELECT token_hash FROM email_tokens WHERE user_id = ?').bind(user.id).all<{ token_hash: string }>();
    expect(results).toHaveLength(1);
    const events = await queryAuditEvents(env.DB, { userId: user.id, type: 'mail.password-reset', limit: 10 });
    expect(events.map((e) => e.outcome)).toEqual(['failure']);
    expect(JSON.stringify(events) + logged.join('')).not.toMatch(/token=|reset\?/);
  });
});
