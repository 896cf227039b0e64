// A caller's client_id with terminal escapes, a newline and a bidi override, presented at /token, then read with `audit`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../scripts/lib/output.ts';
import { runNode, type RunResult } from './cli-harness.ts';
import { startDevServer, type DevServer } from './helpers/dev-server.ts';

const SLOW = 300_000;
// ESC [2J clears the screen; the newline would forge a row; U+202E reverses what follows.
const HOSTILE_ID = 'evil\u001b[2J\nforged-row\u202Edi_tneilc\u009b\u007f\u2066x';
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer();
}, SLOW);

afterAll(() => server?.stop());

async function audit(args: string[]): Promise<RunResult> {
  const result = await runNode('scripts/admin.ts', ['audit', '--type', 'client.auth.failure', '--persist-to', server.persistDir, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

describe('audit output of fields any caller controls', () => {
  it('escapes control, bidi and format characters in human output and keeps --json exact', async () => {
    const res = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: HOSTILE_ID, client_secret: 'wrong' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');

    // The audit write runs off the response path (waitUntil): poll until it lands.
    let json: { client_id: string }[] = [];
    for (let i = 0; i < 40 && json.length === 0; i++) {
      json = JSON.parse((await audit(['--json'])).stdout) as { client_id: string }[];
      if (json.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(json.map((e) => e.client_id)).toEqual([HOSTILE_ID]);

    const jsonText = (await audit(['--json'])).stdout;
    expect(jsonText).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2066]/);
    expect(jsonText).toContain('evil\\u001b[2J\\nforged-row\\u202Edi_tneilc\\u009B\\u007F\\u2066x');

    const human = (await audit([])).stdout;
    expect(human).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2066]/);
    const lines = human.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('evil\\x1B[2J\\x0Aforged-row\\u{202E}di_tneilc\\x9B\\x7F\\u{2066}x');
  }, SLOW);

  it('escapes astral format characters and lone surrogates, and leaves printable text alone', () => {
    expect(terminalSafe('tag\u{E0041}\ud800 é 名前 ok')).toBe('tag\\u{E0041}\\u{D800} é 名前 ok');
    expect(terminalSafe('\u200e\u200f\u061c\u2028')).toBe('\\u{200E}\\u{200F}\\u{061C}\\u{2028}');
  });
});
