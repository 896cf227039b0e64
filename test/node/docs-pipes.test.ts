// Every pipe the docs show from a command into another (e.g. into `wrangler secret put`), run as written: what flows must parse.
import { exec } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { importKeySet } from '../../src/crypto/keys.ts';
import { importPeppers } from '../../src/crypto/password.ts';
import { applyMigrations, makeTempDir, removeDir, ROOT } from './cli-harness.ts';

const SLOW = 300_000;
const DOCS = ['README.md', '.dev.vars.example', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
for (const example of readdirSync(join(ROOT, 'examples'))) {
  if (readdirSync(join(ROOT, 'examples', example)).includes('README.md')) DOCS.push(`examples/${example}/README.md`);
}

interface Pipe {
  doc: string;
  producer: string;
  consumer: string;
}

/** Shell lines (continuations joined, `# comments` and a comment's `Generate:` prefix dropped) whose producer is a command. */
function documentedPipes(): Pipe[] {
  const pipes: Pipe[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(join(ROOT, doc), 'utf8').replace(/\\\n\s*/g, '');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^#\s*(Generate(?: a secret)?:\s*)?/, '').replace(/\s+#\s.*$/, '').trim();
      const match = /^((?:npm|npx|node) .*?) \| (npx wrangler .*|npm .*|jq.*)$/.exec(line);
      if (match) pipes.push({ doc, producer: match[1]!, consumer: match[2]! });
    }
  }
  return pipes;
}

let dir: string;
let state: string;

const ADMIN = /\bnpm run (?:-s |--silent )?admin\b/;
const needsState = (command: string) => ADMIN.test(command) && !/\bkeys generate\b/.test(command);

beforeAll(async () => {
  dir = makeTempDir('docs-pipes');
  state = join(dir, 'state');
  if (documentedPipes().some((p) => needsState(p.producer))) await applyMigrations(state);
});

afterAll(() => removeDir(dir));

/** Runs a producer exactly as the docs show it, in a shell at the project root; admin commands get throwaway state. */
function runProducer(command: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const local = needsState(command) ? ` --persist-to ${state}` : '';
  return new Promise((resolve) => {
    exec(`${command}${local}`, { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, code: typeof error?.code === 'number' ? error.code : 0 }));
  });
}

/** What the consumer must receive, by what it stores. */
async function checkOutput(pipe: Pipe, stdout: string): Promise<void> {
  const secret = /^npx wrangler secret put (\w+)$/.exec(pipe.consumer)?.[1];
  const value = stdout.replace(/\n$/, '');
  expect(value, `${pipe.doc}: ${pipe.producer}`).not.toContain('\n');
  if (secret === 'SIGNING_KEYS') {
    const jwks = JSON.parse(value) as { keys: { d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(typeof key.d).toBe('string');
    await importKeySet(value);
  } else if (secret === 'PASSWORD_PEPPER') {
    await importPeppers(value);
  } else if (secret === 'DATA_ENCRYPTION_KEY') {
    await importDataKeys(value);
  } else if (secret === 'SESSION_SECRET') {
    expect(value).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  } else if (/--json\b/.test(pipe.producer)) {
    JSON.parse(value);
  } else {
    throw new Error(`${pipe.doc}: no check for the pipe ${pipe.producer} | ${pipe.consumer}; add one here`);
  }
}

describe('documented pipes', () => {
  const pipes = documentedPipes();

  it('finds the SIGNING_KEYS pipe in README.md, docs/cli.md and .dev.vars.example', () => {
    const signing = pipes.filter((p) => p.consumer === 'npx wrangler secret put SIGNING_KEYS').map((p) => p.doc);
    expect(signing).toEqual(expect.arrayContaining(['README.md', 'docs/cli.md', '.dev.vars.example']));
  });

  it.each(pipes.map((p) => [`${p.doc}: ${p.producer} | ${p.consumer}`, p] as const))('%s carries exactly what the consumer parses', async (_, pipe) => {
    const { stdout, stderr, code } = await runProducer(pipe.producer);
    expect(code, stderr).toBe(0);
    await checkOutput(pipe, stdout);
  }, SLOW);
});
