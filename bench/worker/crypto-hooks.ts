// Hooks on WebCrypto: count calls (traces), keep their answers (a recording), or give recorded answers back
// instead of computing them (a replay without the endpoint's floor primitives, to measure what is left).

type Answer = ArrayBuffer | boolean;

const counts = new Map<string, number>();
const captured = new Map<string, Answer>();
let counting = false;
let capturing = false;
let stubbed: ReadonlySet<string> = new Set();

const METHODS = ['deriveBits', 'sign', 'verify', 'digest', 'importKey'];
const originals = new Map<string, (...args: unknown[]) => unknown>();

function algorithmName(algorithm: unknown): string {
  if (typeof algorithm === 'string') return algorithm;
  const name = (algorithm as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '?';
}

function copy(answer: Answer): Answer {
  return typeof answer === 'boolean' ? answer : answer.slice(0);
}

/** The originals are put back whenever no hook is on, so CPU measurements pay nothing for the hooks. */
function install(): void {
  const proto = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  const active = counting || capturing || stubbed.size > 0;
  for (const method of METHODS) {
    if (!originals.has(method)) originals.set(method, proto[method] as (...args: unknown[]) => unknown);
    const original = originals.get(method)!;
    proto[method] = !active ? original : function (this: SubtleCrypto, ...args: unknown[]) {
      const key = `${method} ${algorithmName(args[0])}`;
      if (counting) counts.set(key, (counts.get(key) ?? 0) + 1);
      const recorded = captured.get(key);
      if (stubbed.has(key) && recorded !== undefined) return Promise.resolve(copy(recorded));
      const result = original.apply(this, args);
      if (capturing && (method === 'deriveBits' || method === 'sign' || method === 'verify')) {
        void (result as Promise<Answer>).then((answer) => { captured.set(key, copy(answer)); }, () => undefined);
      }
      return result;
    };
  }
}

/** Counting, for traces: which primitives (method and algorithm) a request ran. */
export function countCryptoOperations(on: boolean): void {
  counting = on;
  install();
}

/** Capturing, around a recording: the last answer of each derivation, signature and verification. */
export function captureCryptoAnswers(on: boolean): void {
  capturing = on;
  install();
}

/**
 * Answers these operations ("deriveBits PBKDF2", "sign RSASSA-PKCS1-v1_5", ...) from the captured answers
 * instead of computing them. An operation never captured is computed as usual.
 */
export function stubCryptoOperations(keys: readonly string[]): void {
  stubbed = new Set(keys);
  install();
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
