// Stand-ins for a binding, a D1 statement or a remote endpoint: the real object with some members replaced, or a local double.
import { vi } from 'vitest';

/** `target` with the named members replaced; every other member passes through, methods bound to `target`. */
export function replaceMembers<T extends object>(target: T, members: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, name) {
      if (typeof name === 'string' && Object.hasOwn(members, name)) return members[name];
      const value: unknown = Reflect.get(t, name, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

export const TURNSTILE_STAND_IN_URL = 'https://turnstile.stand-in.test/siteverify';
export const TURNSTILE_SECRET = 'turnstile-test-secret';
export const TURNSTILE_PASS = 'turnstile-token-that-passes';

/**
 * A test double of Cloudflare's siteverify endpoint at TURNSTILE_STAND_IN_URL: it answers as siteverify does
 * ({ success, error-codes }) and passes only TURNSTILE_PASS under TURNSTILE_SECRET; `status` makes it fail outright.
 * Every other fetch goes through. Returns the forms it received.
 */
export function turnstileStandIn(status = 200): URLSearchParams[] {
  const received: URLSearchParams[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== TURNSTILE_STAND_IN_URL) return realFetch(input, init);
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    received.push(form);
    const success = form.get('secret') === TURNSTILE_SECRET && form.get('response') === TURNSTILE_PASS;
    return Response.json({ success, 'error-codes': success ? [] : ['invalid-input-response'] }, { status });
  });
  return received;
}

/** The bindings that configure Turnstile against the stand-in. */
export const TURNSTILE_ON = { TURNSTILE_SITE_KEY: 'site-key-test', TURNSTILE_SECRET_KEY: TURNSTILE_SECRET, TURNSTILE_VERIFY_URL: TURNSTILE_STAND_IN_URL } as const;
