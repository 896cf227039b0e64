// The response-path probe behind test/budgets/: which storage ops an endpoint's response waits for, and the budget check.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { RoundTripBudget } from '../../bench/lib/budgets.ts';
import { countingBindings, opKey, RequestRecord, type Op } from '../../bench/worker/counting.ts';
import worker from '../../src/index.ts';
import { ISSUER } from '../helpers/fixtures.ts';

// Long enough to stand out from any local storage call, short enough to probe every op of a request.
const PROBE_DELAY_MS = 200;

interface Served {
  rec: RequestRecord;
  responseMs: number;
  status: number;
}

/** One request through the Worker with counting bindings; `delay` holds one op back to see if the response waits. */
async function serve(request: Request, delay: { key: string; nth: number } | null, vars: object = {}): Promise<Served> {
  const rec = new RequestRecord({ onOp: () => undefined, delay: delay && { ...delay, ms: PROBE_DELAY_MS } });
  const ctx = createExecutionContext();
  // The isolate's clock moves at I/O: the probe's timer moves it by its delay when the response waits for it.
  const started = Date.now();
  const res = await worker.fetch(request, countingBindings({ ...env, ...vars }, rec), ctx);
  const responseMs = Date.now() - started;
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { rec, responseMs, status: res.status };
}

/**
 * The ops the response waited for: each op of a first run is delayed in a fresh, identical request, so
 * `makeRequest` builds a new one each call (with its own code, token or session where the endpoint consumes one);
 * `vars` replace bindings (SIGNUP=open, say).
 */
export async function responsePathOps(makeRequest: () => Promise<Request>, status: number, vars: object = {}): Promise<Op[]> {
  const first = await serve(await makeRequest(), null, vars);
  expect(first.status).toBe(status);
  const seen = new Map<string, number>();
  const onPath: Op[] = [];
  for (const op of first.rec.ops) {
    const key = opKey(op);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    if (await waitsFor(makeRequest, status, { key, nth }, vars)) onPath.push(op);
  }
  return onPath;
}

/**
 * Whether the response waits for the op: it does when holding the op back delays the response by the hold.
 * A busy machine can make one response slow for other reasons, so a wait is confirmed by a second probe.
 */
async function waitsFor(makeRequest: () => Promise<Request>, status: number, delay: { key: string; nth: number }, vars: object): Promise<boolean> {
  for (let probes = 0; probes < 2; probes++) {
    const probe = await serve(await makeRequest(), delay, vars);
    expect(probe.status).toBe(status);
    if (probe.responseMs < PROBE_DELAY_MS) return false;
  }
  return true;
}

export function expectWithin(ops: Op[], budget: RoundTripBudget): void {
  const primary = ops.filter((o) => o.kind === 'd1_primary_read' || o.kind === 'd1_write');
  const d1 = ops.filter((o) => o.kind.startsWith('d1_'));
  const describe = (list: Op[]) => list.map((o) => `${o.kind} ${o.what}`).join('; ');
  expect(primary.length, `primary round trips on the path: ${describe(primary)}`).toBeLessThanOrEqual(budget.primary);
  expect(d1.length, `D1 round trips on the path: ${describe(d1)}`).toBeLessThanOrEqual(budget.d1);
}

/** A request into the Worker for the probe: built, not sent. */
export function request(path: string, init: RequestInit = {}): Request {
  return new Request(new URL(path, ISSUER), { redirect: 'manual', ...init });
}

/** A same-origin form post, as the sign-in pages and the token endpoints receive them. */
export function formRequest(path: string, body: Record<string, string>, headers: Record<string, string> = {}): Request {
  return request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, ...headers },
    body: new URLSearchParams(body).toString(),
  });
}
