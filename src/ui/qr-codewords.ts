// A QR code's codewords (ISO/IEC 18004 §7.4 to §7.6): byte mode, error correction level M, the smallest version.
// The algorithm of Nayuki's QR Code generator (MIT), as uqr ports it, cut to what an otpauth:// URI needs.

// Per version (index 0 unused), level M: error correction codewords per block, and blocks.
const ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, ...Array<number>(19).fill(28)];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
export function rawModules(ver: number): number {
  const align = Math.floor(ver / 7) + 2;
  return (16 * ver + 128) * ver + 64 - (ver >= 2 ? (25 * align - 10) * align - 55 : 0) - (ver >= 7 ? 36 : 0);
}

const dataCodewords = (ver: number) => Math.floor(rawModules(ver) / 8) - ECC_PER_BLOCK[ver]! * BLOCKS[ver]!;

// GF(2^8) with the polynomial 0x11D (§7.5.2).
function mul(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) z = ((z << 1) ^ ((z >>> 7) * 0x11d)) ^ (((y >>> i) & 1) * x);
  return z;
}

function rsDivisor(degree: number): number[] {
  const result = Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  for (let i = 0, root = 1; i < degree; i++, root = mul(root, 2)) {
    for (let j = 0; j < degree; j++) result[j] = mul(result[j]!, root) ^ (result[j + 1] ?? 0);
  }
  return result;
}

function rsRemainder(data: number[], divisor: number[]): number[] {
  const result = divisor.map(() => 0);
  for (const b of data) {
    const factor = b ^ result.shift()!;
    result.push(0);
    divisor.forEach((coef, i) => { result[i]! ^= mul(coef, factor); });
  }
  return result;
}

/** The data codewords: mode, length, bytes, terminator and padding (§7.4); and the smallest version they fit. */
function codewords(bytes: Uint8Array): { ver: number; data: number[] } {
  let ver = 1;
  const lengthBits = (v: number) => (v < 10 ? 8 : 16);
  while (4 + lengthBits(ver) + bytes.length * 8 > dataCodewords(ver) * 8) if (++ver > 40) throw new RangeError('too long for a QR code');
  const bits: number[] = [];
  const push = (value: number, n: number) => { for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  push(4, 4);
  push(bytes.length, lengthBits(ver));
  bytes.forEach((b) => push(b, 8));
  const capacity = dataCodewords(ver) * 8;
  push(0, Math.min(4, capacity - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(''), 2));
  return { ver, data };
}

/** Splits into blocks, adds each block's Reed-Solomon codewords, interleaves (§7.6). */
function interleave(ver: number, data: number[]): number[] {
  const blocks = BLOCKS[ver]!, eccLen = ECC_PER_BLOCK[ver]!, raw = Math.floor(rawModules(ver) / 8);
  const short = blocks - (raw % blocks), shortLen = Math.floor(raw / blocks);
  const divisor = rsDivisor(eccLen);
  const all: number[][] = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const block = data.slice(k, k + shortLen - eccLen + (i < short ? 0 : 1));
    k += block.length;
    const ecc = rsRemainder(block, divisor);
    if (i < short) block.push(0);
    all.push(block.concat(ecc));
  }
  const result: number[] = [];
  for (let i = 0; i < all[0]!.length; i++) all.forEach((block, j) => { if (i !== shortLen - eccLen || j >= short) result.push(block[i]!); });
  return result;
}

/** The version and every codeword, in placement order, of `bytes` at level M. */
export function qrCodewords(bytes: Uint8Array): { ver: number; codewords: number[] } {
  const { ver, data } = codewords(bytes);
  return { ver, codewords: interleave(ver, data) };
}
