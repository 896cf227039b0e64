// The one constant-time comparison helper: every secret comparison goes through here.

const encoder = new TextEncoder();

// Time depends only on the length, which is public for the fixed-size digests we compare.
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// Compares two strings by their SHA-256 digests, so neither length nor content leaks through timing.
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256(encoder.encode(a)), sha256(encoder.encode(b))]);
  return timingSafeEqual(da, db);
}

// The assertion is for the Node-side type check (DOM lib's BufferSource excludes SharedArrayBuffer views).
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}
