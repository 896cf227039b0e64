// Two projects: `workers` runs inside workerd with real D1 and KV; `node` spawns processes (wrangler dev, the CLI).
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { testSecrets } from './test/secrets.ts';

// Wrangler, run inside this process by the workers pool and by getPlatformProxy in node tests, logs at info level:
// "Using secrets defined in .dev.vars" once per test file when npm run dev has written one. Warnings and errors
// still print; WRANGLER_LOG set by whoever runs the tests wins.
process.env.WRANGLER_LOG ??= 'warn';

// oauth4webapi ships a source map whose sources are not in its package: loaded as is, vite warns about it once per
// workers test file. Loaded without its sourceMappingURL line, it is the same code and nothing is printed.
const withoutMissingSourceMap: Plugin = {
  name: 'oauth4webapi-without-source-map',
  enforce: 'pre',
  load(id) {
    if (!/[\\/]oauth4webapi[\\/]build[\\/]index\.js$/.test(id)) return null;
    return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  },
};

export default defineConfig(async () => {
  const secrets = await testSecrets();
  // The numbered D1 migrations (migrations/), applied in order to each test file's D1 (test/setup.ts).
  const migrations = await readD1Migrations('migrations');
  return {
    test: {
      projects: [
        {
          plugins: [
            withoutMissingSourceMap,
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { ...secrets, ISSUER: 'https://id.example.test', TEST_MIGRATIONS: migrations },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['test/**/*.test.ts'],
            exclude: ['test/node/**'],
            setupFiles: ['test/setup.ts'],
          },
        },
        {
          plugins: [withoutMissingSourceMap],
          test: {
            name: 'node',
            environment: 'node',
            include: ['test/node/**/*.test.ts'],
            // The Chromium suite runs only under npm run test:browser (test/node/browser/vitest.config.ts).
            exclude: ['test/node/browser/**'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
