// npm run test:browser: the Chromium suite (vitest, its own config), or one line saying how to get Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromiumPath } from './chromium.ts';

const executable = chromiumPath();
if (!existsSync(executable)) {
  process.stderr.write(`error: Chromium not found at ${executable}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)\n`);
  process.exit(1);
}
const root = resolve(import.meta.dirname, '../../..');
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/node/browser/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: root, stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
process.exit(result.status ?? 1);
