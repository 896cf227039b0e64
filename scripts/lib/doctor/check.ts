// One doctor check's result, and how a list of them is printed: a line each, or a JSON array with --json.
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export function formatChecks(checks: Check[], json: boolean): string {
  if (json) return `${JSON.stringify(checks, null, 2)}\n`;
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(width)}  ${c.detail}\n`).join('');
}
