// Counts WebCrypto operations (by method and algorithm) so a trace can say which primitives a request ran.

const counts = new Map<string, number>();

function algorithmName(algorithm: unknown): string {
  if (typeof algorithm === 'string') return algorithm;
  const name = (algorithm as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '?';
}

const originals = new Map<string, unknown>();
const METHODS = ['deriveBits', 'sign', 'verify', 'digest', 'importKey'];

/**
 * Wraps SubtleCrypto's methods (jose and src/crypto call them at request time), or puts the originals
 * back: counting is on only while traces run, so it costs nothing in the CPU measurements.
 */
export function countCryptoOperations(on: boolean): void {
  const proto = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  for (const method of METHODS) {
    if (!originals.has(method)) originals.set(method, proto[method]);
    const original = originals.get(method);
    if (typeof original !== 'function') continue;
    proto[method] = on
      ? function (this: SubtleCrypto, ...args: unknown[]) {
        const key = `${method} ${algorithmName(args[0])}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      }
      : original;
  }
}

export function cryptoSnapshot(): Record<string, number> {
  return Object.fromEntries(counts);
}

export function cryptoSince(before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, n] of counts) {
    const d = n - (before[key] ?? 0);
    if (d > 0) delta[key] = d;
  }
  return delta;
}
