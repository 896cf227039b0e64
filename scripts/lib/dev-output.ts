// npm run dev's view of wrangler dev's output: the bindings table and start-up chatter left out, so the project's banner comes last.
import { type ChildProcess, spawn } from 'node:child_process';
import { ANSI, wranglerBin, wranglerEnv } from './wrangler.ts';

export interface WranglerDevOutput {
  /** Takes a chunk of the child's output; whole lines are written through (or dropped) as they complete. */
  write(chunk: string): void;
  /** Writes a last unterminated line, if any. */
  end(): void;
}

// Kept in the banner instead: the URL (wrangler names the address it bound, not the issuer), and the secrets' origin.
const DROPPED = [/^Using secrets defined in /, /^Using vars defined in /];
const READY = /^\[wrangler:info\] Ready on /;
const TABLE_START = /^Your Worker has access to the following bindings:/;
const TABLE_ROW = /^(Binding\s+Resource|env\.)/;
// Offline, miniflare cannot download its Request.cf sample and warns on every start, with a stack; the Worker
// never reads request.cf.
const CF_WARNING = /^\[wrangler:warn\] Unable to fetch the `Request\.cf` object!/;
const STACK_LINE = /^(\w*Error\b|at )/;

/**
 * Filters wrangler dev's lines: the bindings table (some 25 lines that push the demo credentials off screen),
 * "Using secrets defined in .dev.vars", the offline Request.cf warning with its stack, and "Ready on URL",
 * which calls `onReady` instead. Everything else (warnings, errors, request logs, reloads) goes through unchanged.
 */
export function wranglerDevOutput(out: (text: string) => void, onReady: () => void = () => {}): WranglerDevOutput {
  let pending = '';
  let inTable = false;
  let inCfWarning = false;
  const line = (text: string) => {
    const plain = text.replace(ANSI, '').trim();
    if (inCfWarning && STACK_LINE.test(plain)) return;
    inCfWarning = CF_WARNING.test(plain);
    if (inCfWarning) return;
    if (inTable) {
      if (plain === '') inTable = false;
      if (plain === '' || TABLE_ROW.test(plain)) return;
    }
    if (TABLE_START.test(plain)) {
      inTable = true;
      return;
    }
    if (READY.test(plain)) return onReady();
    if (DROPPED.some((pattern) => pattern.test(plain))) return;
    out(`${text}\n`);
  };
  return {
    write(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const text of lines) line(text);
    },
    end() {
      if (pending !== '') line(pending);
      pending = '';
    },
  };
}

/**
 * Whether wrangler dev will log "Ready on": not at a level above info (--log-level, else WRANGLER_LOG). Then
 * it logs no requests either, so the banner can follow the gateway's answer alone.
 */
export function printsReadyLine(args: string[]): boolean {
  const i = args.findIndex((a) => a === '--log-level' || a.startsWith('--log-level='));
  const level = i < 0 ? process.env.WRANGLER_LOG : args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  return !/^(warn|error|none)$/i.test(level ?? '');
}

/** The provider's `wrangler dev ARGS`, its output through the filter; `onReady` runs when it prints its ready line. */
export function spawnProviderDev(args: string[], onReady: () => void): ChildProcess {
  // Piped, wrangler would drop its colours; keep them for a terminal.
  const color: Record<string, string> = process.stdout.isTTY && process.env.NO_COLOR === undefined ? { FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } : {};
  const child = spawn(process.execPath, [wranglerBin(), 'dev', ...args], { stdio: ['inherit', 'pipe', 'pipe'], env: wranglerEnv(color) });
  const stdout = wranglerDevOutput((text) => process.stdout.write(text), onReady);
  const stderr = wranglerDevOutput((text) => process.stderr.write(text));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => stdout.write(d)).on('end', () => stdout.end());
  child.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.write(d)).on('end', () => stderr.end());
  return child;
}

/**
 * The gateway's `wrangler dev ARGS` (at --log-level warn) on the terminal: its one warning, the Request.cf one,
 * is skipped at the source, since the gateway never reads request.cf. Its output is not piped: with both
 * wranglers piped, wrangler's esbuild printed a goroutine dump on most stops in our runs.
 */
export function spawnGatewayDev(args: string[]): ChildProcess {
  const env = wranglerEnv({ CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false' });
  return spawn(process.execPath, [wranglerBin(), 'dev', ...args], { stdio: ['ignore', 'inherit', 'inherit'], env });
}
