// Runs the project's own wrangler (under the Node running us) with metrics off, for d1 execute and dev.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Terminal colour codes in wrangler's output. */
export const ANSI = /\x1b\[[0-9;]*m/g;

const require = createRequire(import.meta.url);

export function wranglerBin(): string {
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
}

/** The environment every spawned wrangler gets: no telemetry (this machine may be offline). */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', ...extra };
}

export interface WranglerOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export function runWrangler(args: string[], cwd: string, env: Record<string, string> = {}): Promise<WranglerOutput> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [wranglerBin(), ...args],
      { cwd, env: wranglerEnv(env), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** wrangler's own words for a failure: the `error.text` of its --json output, else its last stderr line. */
export function wranglerFailure(output: WranglerOutput): string {
  try {
    const parsed = JSON.parse(output.stdout) as { error?: { text?: unknown } };
    if (typeof parsed.error?.text === 'string') return parsed.error.text;
  } catch {
    // Not JSON: fall back to stderr.
  }
  const lines = `${output.stderr}\n${output.stdout}`.split('\n').map((l) => l.replace(ANSI, '').trim());
  // wrangler's own error line ("✘ [ERROR] ...") says more than the log-file notice printed after it.
  const error = lines.find((l) => l.includes('[ERROR] '));
  if (error) return error.slice(error.indexOf('[ERROR] ') + 8);
  return lines.filter((l) => l !== '' && !l.startsWith('npm warn')).pop() ?? `exit code ${output.code}`;
}
