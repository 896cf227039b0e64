// The bundle budget (bench/lib/budgets.ts) as a test: what `wrangler deploy` would upload, gzipped, must fit.
import { afterAll, expect, it } from 'vitest';
import { BUNDLE_GZIP_BUDGET_BYTES } from '../../bench/lib/budgets.ts';
import { buildDeployBundle, removeBundleDir } from '../../bench/lib/bundle.ts';

let dir: string | null = null;
afterAll(() => { if (dir) removeBundleDir(dir); });

it('the deployable bundle fits its gzip budget', async () => {
  const bundle = await buildDeployBundle();
  dir = bundle.dir;
  const largest = bundle.size.byOrigin.slice(0, 5).map((o) => `${o.origin} ${o.bytes} B`).join(', ');
  expect(bundle.size.gzipBytes, `largest contributors (minified): ${largest}`).toBeLessThanOrEqual(BUNDLE_GZIP_BUDGET_BYTES);
  // A bundle this small could only mean the build lost the app.
  expect(bundle.size.gzipBytes).toBeGreaterThan(10 * 1024);
});
