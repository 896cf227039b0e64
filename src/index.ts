import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
const app = new Hono<AppEnv>();
export default app;
