// Applies schema.sql to the test D1 before the tests of each file.
import { env } from 'cloudflare:workers';
import { beforeAll } from 'vitest';
import { applySchema } from './helpers/schema.ts';

beforeAll(async () => {
  await applySchema(env.DB, env.TEST_SCHEMA);
});
