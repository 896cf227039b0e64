// The code shape issue 12 asks for, kept true: file lengths, their median, index.ts as wiring, short handlers and steps.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionSpans, lineCount, maskSource } from './helpers/source-shape.ts';

const MAX_FILE_LINES = 150;
// A language's catalogue (src/i18n/en.ts, de.ts, ...) is data, not code: one file per language is the contract
// (issue 14 §5: adding a language is a single file), so its length is the product's text, not a shape problem.
const CATALOGUE_FILE = /^src\/i18n\/[a-z]{2,3}(?:-[A-Za-z0-9]+)?\.ts$/;
const CATALOGUE_CODE = new Set(['src/i18n/catalogue.ts', 'src/i18n/negotiate.ts']);
const MAX_MEDIAN_LINES = 50;
const MAX_INDEX_LINES = 70;
const MAX_FUNCTION_LINES = 40;
// Route handlers live in routes/, journey steps in interaction/, grant steps in oauth/grants/.
const STEP_FOLDERS = ['src/routes/', 'src/interaction/', 'src/oauth/grants/'];

const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.ts'))
  .map((path) => {
    const name = join('src', path).replaceAll('\\', '/');
    const text = readFileSync(name, 'utf8');
    return { name, text, lines: lineCount(text) };
  });

describe('src/ shape', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const offenders = files
      .filter((f) => f.lines > MAX_FILE_LINES && !(CATALOGUE_FILE.test(f.name) && !CATALOGUE_CODE.has(f.name)))
      .map((f) => `${f.name} (${f.lines})`);
    expect(offenders, `files over ${MAX_FILE_LINES} lines: ${offenders.join(', ')}`).toEqual([]);
  });

  it(`has a median file length of at most ${MAX_MEDIAN_LINES} lines`, () => {
    const sorted = files.map((f) => f.lines).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    expect(median, `median of ${sorted.length} files`).toBeLessThanOrEqual(MAX_MEDIAN_LINES);
  });

  it(`keeps src/index.ts to wiring, at most ${MAX_INDEX_LINES} lines`, () => {
    expect(files.find((f) => f.name === 'src/index.ts')?.lines).toBeLessThanOrEqual(MAX_INDEX_LINES);
  });

  it(`has no route handler, journey step or grant step over ${MAX_FUNCTION_LINES} lines`, () => {
    const offenders = files
      .filter((f) => STEP_FOLDERS.some((folder) => f.name.startsWith(folder)))
      .flatMap((f) => functionSpans(f.text).filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => `${f.name}:${s.line} ${s.name} (${s.lines})`));
    expect(offenders, `functions over ${MAX_FUNCTION_LINES} lines:\n${offenders.join('\n')}`).toEqual([]);
  });
});

describe('the source scanner', () => {
  it('ignores braces in strings, template literals, regular expressions and comments', () => {
    const source = "const a = '{'; const b = `${ { x: '}' } }{`; // {\nconst r = /^\\d{1,10}$/; /* } */ const c = 1 / 2; { }\n";
    expect(maskSource(source).replace(/[^{}\n]/g, '')).toBe('\n{}\n');
  });

  it('measures declarations, methods and arrow handlers from their first line to their closing brace', () => {
    const source = [
      'export async function step(a: string): Promise<{ ok: boolean }> {',
      '  if (a) {',
      '    return { ok: true };',
      '  }',
      '  return { ok: false };',
      '}',
      "app.post('/x', async (c) => {",
      '  return c.text(`}`);',
      '});',
      'class K {',
      '  get(name: string): string | undefined {',
      '    return name;',
      '  }',
      '}',
    ].join('\n');
    expect(functionSpans(source).map((s) => [s.name, s.line, s.lines])).toEqual([
      ['step', 1, 6],
      ["app.post('/x', async (c) => {", 7, 3],
      ['get', 11, 3],
    ]);
  });
});
