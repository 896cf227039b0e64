// Two projects: `workers` runs inside workerd with real D1 and KV; `node` spawns processes (wrangler dev, the CLI).
import { readFileSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { testSecrets } from './test/secrets.ts';

export default defineConfig(async () => {
  const secrets = await testSecrets();
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { ...secrets, ISSUER: 'https://id.example.test', TEST_SCHEMA: readFileSync('schema.sql', 'utf8') },
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
