// Reads TypeScript source for its shape (line counts, function lengths) by brace matching, with strings,
// template literals, regular expressions and comments blanked so their braces do not count.

/** Lines as `wc -l` counts them. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

// After these words a `/` opens a regular expression rather than dividing.
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

/** The source with every string, template literal, regular expression and comment blanked (newlines kept). */
export function maskSource(source: string): string {
  const n = source.length;
  const out = source.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const regexAllowed = (at: number): boolean => {
    let k = at - 1;
    while (k >= 0 && /\s/.test(source[k]!)) k--;
    if (k < 0) return true;
    const ch = source[k]!;
    if (/[\w$]/.test(ch)) {
      let s = k;
      while (s > 0 && /[\w$]/.test(source[s - 1]!)) s--;
      return REGEX_AFTER_WORD.has(source.slice(s, k + 1));
    }
    return !/[)\]}'"`]/.test(ch);
  };
  const skipString = (i: number, quote: string): number => {
    let k = i + 1;
    while (k < n && source[k] !== quote && source[k] !== '\n') k += source[k] === '\\' ? 2 : 1;
    return k + 1;
  };
  const skipRegex = (i: number): number => {
    let k = i + 1;
    let inClass = false;
    while (k < n && source[k] !== '\n') {
      const c = source[k];
      if (c === '\\') { k += 2; continue; }
      k++;
      if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '/') break;
    }
    while (k < n && /[a-z]/i.test(source[k]!)) k++;
    return k;
  };
  const skipTemplate = (i: number): number => {
    let k = i + 1;
    while (k < n) {
      const c = source[k];
      if (c === '\\') k += 2;
      else if (c === '`') return k + 1;
      else if (c === '$' && source[k + 1] === '{') k = scanCode(k + 2, true);
      else k++;
    }
    return k;
  };
  // Scans code from i; inside a template's `${`, stops after its closing brace.
  function scanCode(i: number, nested: boolean): number {
    let depth = 0;
    while (i < n) {
      const c = source[i]!;
      let end = -1;
      if (c === '/' && source[i + 1] === '/') end = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
      else if (c === '/' && source[i + 1] === '*') end = source.indexOf('*/', i + 2) < 0 ? n : source.indexOf('*/', i + 2) + 2;
      else if (c === '"' || c === "'") end = skipString(i, c);
      else if (c === '`') end = skipTemplate(i);
      else if (c === '/' && regexAllowed(i)) end = skipRegex(i);
      if (end >= 0) {
        blank(i, end);
        i = end;
        continue;
      }
      if (nested && c === '{') depth++;
      else if (nested && c === '}' && depth-- === 0) return i + 1;
      i++;
    }
    return i;
  }
  scanCode(0, false);
  return out.join('');
}

const PAIRS: Record<string, string> = { '(': ')', '{': '}' };

function matchForward(code: string, open: number): number {
  const opener = code[open]!;
  const closer = PAIRS[opener]!;
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    if (code[k] === opener) depth++;
    else if (code[k] === closer && --depth === 0) return k;
  }
  return -1;
}

/** After a parameter list: the index of the body's `{` (past an optional return type), or -1 when none follows. */
function bodyAfterSignature(code: string, from: number): number {
  let k = from;
  while (k < code.length && /\s/.test(code[k]!)) k++;
  if (code[k] === '{') return k;
  if (code[k] !== ':') return -1;
  let depth = 0;
  let prev = ':';
  for (k++; k < code.length; k++) {
    const c = code[k]!;
    if (/\s/.test(c)) continue;
    if (c === '=' && code[k + 1] === '>') {
      if (depth === 0) return -1;
      k++;
      prev = '>';
      continue;
    }
    // A `{` right after `:`, `|`, `&`, `,`, `<` or `(` opens an object type; any other ends the signature.
    if (depth === 0 && c === '{' && !':|&,<('.includes(prev)) return k;
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c) && --depth < 0) return -1;
    else if (depth === 0 && ';=,'.includes(c)) return -1;
    prev = c;
  }
  return -1;
}

export interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
}

// Words followed by `(` and a block that are not functions.
const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'new', 'delete', 'void', 'throw', 'in', 'of', 'do', 'else', 'super', 'import', 'async']);

/** Every function with a block body: declarations, methods and arrow functions, from its first line to its `}`. */
export function functionSpans(source: string): FunctionSpan[] {
  const code = maskSource(source);
  const lineStarts = [0];
  for (let k = 0; k < code.length; k++) if (code[k] === '\n') lineStarts.push(k + 1);
  const lineOf = (index: number): number => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= index) line++;
    return line + 1;
  };
  const lineText = (index: number): string => source.slice(lineStarts[lineOf(index) - 1], lineStarts[lineOf(index)] ?? source.length).trim();
  const spans = new Map<number, FunctionSpan>();
  const add = (start: number, brace: number, name: string): void => {
    const close = matchForward(code, brace);
    if (close < 0 || spans.has(brace)) return;
    spans.set(brace, { name, line: lineOf(start), lines: lineOf(close) - lineOf(start) + 1 });
  };
  for (const m of code.matchAll(/=>\s*\{/g)) {
    let start = m.index;
    let k = start - 1;
    while (k > 0 && /\s/.test(code[k]!)) k--;
    if (code[k] === ')') {
      let depth = 0;
      for (; k >= 0; k--) {
        if (code[k] === ')') depth++;
        else if (code[k] === '(' && --depth === 0) break;
      }
      if (k >= 0) start = k;
    }
    add(start, m.index + m[0].length - 1, lineText(start).slice(0, 60));
  }
  for (const m of code.matchAll(/([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\s*\(/g)) {
    if (NOT_FUNCTIONS.has(m[1]!)) continue;
    const close = matchForward(code, m.index + m[0].length - 1);
    const brace = close < 0 ? -1 : bodyAfterSignature(code, close + 1);
    if (brace >= 0) add(m.index, brace, m[1]!);
  }
  return [...spans.values()].sort((a, b) => a.line - b.line);
}
