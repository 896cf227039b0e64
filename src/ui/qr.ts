// QR codes (ISO/IEC 18004) for the TOTP enrolment, as a matrix: function patterns, data, the best of eight masks.
// The algorithm of Nayuki's QR Code generator (MIT), as uqr ports it: the same matrix as uqr's encode (tested).
import { qrCodewords } from './qr-codewords.ts';

// Penalty weights of §7.8.3 (N1 to N4).
const [N1, N2, N3, N4] = [3, 3, 40, 10];
const bit = (x: number, i: number) => ((x >>> i) & 1) !== 0;

const MASKS: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0, (_x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0, (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** §7.8.3's penalty of one row or column: runs of five or more, and finder-like 1:1:3:1:1 patterns. */
function linePenalty(line: boolean[], size: number): number {
  let result = 0, color = false, run = 0;
  const history = [0, 0, 0, 0, 0, 0, 0];
  const add = (length: number) => { history.pop(); history.unshift(length + (history[0] === 0 ? size : 0)); };
  const finders = () => {
    const n = history[1]!;
    const core = n > 0 && history[2] === n && history[3] === n * 3 && history[4] === n && history[5] === n;
    return (core && history[0]! >= n * 4 && history[6]! >= n ? 1 : 0) + (core && history[6]! >= n * 4 && history[0]! >= n ? 1 : 0);
  };
  for (const dark of line) {
    if (dark === color) {
      run++;
      result += run === 5 ? N1 : run > 5 ? 1 : 0;
    } else {
      add(run);
      if (!color) result += finders() * N3;
      color = dark;
      run = 1;
    }
  }
  if (color) { add(run); run = 0; }
  add(run + size);
  return result + finders() * N3;
}

function penalty(m: boolean[][], size: number): number {
  let result = 0, dark = 0;
  for (let i = 0; i < size; i++) result += linePenalty(m[i]!, size) + linePenalty(m.map((row) => row[i]!), size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = m[y]![x]!;
      if (c) dark++;
      if (y < size - 1 && x < size - 1 && c === m[y]![x + 1] && c === m[y + 1]![x] && c === m[y + 1]![x + 1]) result += N2;
    }
  }
  return result + (Math.ceil(Math.abs(dark * 20 - size * size * 10) / (size * size)) - 1) * N4;
}

/** Finder, timing and alignment patterns, format placeholder and version (§7.3, §7.9, §7.10); returns which are. */
function drawFunctionPatterns(m: boolean[][], ver: number): boolean[][] {
  const size = m.length;
  const fixed = m.map((row) => row.map(() => false));
  const set = (x: number, y: number, dark: boolean) => { m[y]![x] = dark; fixed[y]![x] = true; };
  for (let i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy)), x = cx + dx, y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  const align = ver === 1 ? [] : [6];
  const count = Math.floor(ver / 7) + 2, step = ver === 32 ? 26 : Math.ceil((ver * 4 + 4) / (count * 2 - 2)) * 2;
  for (let pos = size - 7; ver > 1 && align.length < count; pos -= step) align.splice(1, 0, pos);
  align.forEach((ay, i) => align.forEach((ax, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === align.length - 1) || (i === align.length - 1 && j === 0)) return;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }));
  drawFormat(set, size, 0);
  if (ver >= 7) {
    let rem = ver;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (ver << 12) | rem;
    for (let i = 0; i < 18; i++) { set(size - 11 + (i % 3), Math.floor(i / 3), bit(bits, i)); set(Math.floor(i / 3), size - 11 + (i % 3), bit(bits, i)); }
  }
  return fixed;
}

/** The 15 format bits, level M (00) and the mask, BCH-coded and placed twice (§7.9). */
function drawFormat(set: (x: number, y: number, dark: boolean) => void, size: number, mask: number): void {
  let rem = mask;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((mask << 10) | rem) ^ 0x5412;
  for (let i = 0; i <= 5; i++) set(8, i, bit(bits, i));
  set(8, 7, bit(bits, 6)); set(8, 8, bit(bits, 7)); set(7, 8, bit(bits, 8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(bits, i));
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(bits, i));
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(bits, i));
  set(8, size - 8, true);
}

/** The QR code of `text` (UTF-8, byte mode, level M) as rows of dark (true) and light modules, without a border. */
export function qrMatrix(text: string): boolean[][] {
  const { ver, codewords } = qrCodewords(new TextEncoder().encode(text));
  const size = ver * 4 + 17;
  const m = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  const fixed = drawFunctionPatterns(m, ver);
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j, y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (!fixed[y]![x] && i < codewords.length * 8) { m[y]![x] = bit(codewords[i >>> 3]!, 7 - (i & 7)); i++; }
      }
    }
  }
  const masked = (mask: number) => m.map((row, y) => row.map((dark, x) => dark !== (!fixed[y]![x] && MASKS[mask]!(x, y))));
  const scores = MASKS.map((_, mask) => { const candidate = masked(mask); drawFormat((x, y, d) => { candidate[y]![x] = d; }, size, mask); return penalty(candidate, size); });
  const best = scores.indexOf(Math.min(...scores));
  const result = masked(best);
  drawFormat((x, y, d) => { result[y]![x] = d; }, size, best);
  return result;
}
