// The browser suite (npm run test:browser): Chromium driven by playwright-core against wrangler dev. Not part of npm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'browser',
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/node/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Each file starts its own wrangler dev pair and Chromium; one at a time keeps the machine responsive.
    fileParallelism: false,
  },
});
