// `keys generate`: a private JWKS for `wrangler secret put SIGNING_KEYS`, made by the Worker's own key code.
import { generateSigningJwk, SIGNING_ALGS } from '../../../src/crypto/keys.ts';
import { oneOf } from '../cli-args.ts';
import type { CommandContext } from './context.ts';

export async function generateKeysCommand(ctx: CommandContext): Promise<void> {
  const alg = oneOf(ctx.values.alg, SIGNING_ALGS, '--alg');
  const keys = await Promise.all((alg ? [alg] : SIGNING_ALGS).map((a) => generateSigningJwk(a)));
  // Compact, one line: what `wrangler secret put SIGNING_KEYS` expects to read from stdin.
  process.stdout.write(`${JSON.stringify({ keys })}\n`);
  if (!ctx.json && process.stdout.isTTY) {
    process.stderr.write('This is a private key set. Pipe it to: npx wrangler secret put SIGNING_KEYS\n');
  }
}
