// Reads the wrangler dev arguments npm run dev forwards, for the few the set-up itself needs.
export interface DevArgs {
  /** Everything to hand to `wrangler dev`, in order (the dev script's own flags removed). */
  forwarded: string[];
  /** --no-start: prepare and print, but do not start wrangler dev. */
  noStart: boolean;
  /** --mcp: start the MCP server example too, with open client registration (README "MCP"). */
  mcp: boolean;
  persistTo: string | undefined;
  port: string | undefined;
  /** --var KEY:VALUE bindings; wrangler's --var takes one or more values after one flag. */
  vars: Record<string, string>;
}

const OWN_FLAGS = { '--no-start': 'noStart', '--mcp': 'mcp' } as const;

function optionValue(argv: string[], i: number, name: string): { value: string | undefined; next: number } {
  const arg = argv[i]!;
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i + 1 };
  return { value: argv[i + 1], next: i + 2 };
}

export function parseDevArgs(argv: string[]): DevArgs {
  const result: DevArgs = { forwarded: [], noStart: false, mcp: false, persistTo: undefined, port: undefined, vars: {} };
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (Object.hasOwn(OWN_FLAGS, arg)) {
      result[OWN_FLAGS[arg as keyof typeof OWN_FLAGS]] = true;
      i++;
      continue;
    }
    if (arg === '--persist-to' || arg.startsWith('--persist-to=')) {
      const { value, next } = optionValue(argv, i, '--persist-to');
      result.persistTo = value;
      result.forwarded.push(...argv.slice(i, next));
      i = next;
    } else if (arg === '--port' || arg.startsWith('--port=')) {
      const { value, next } = optionValue(argv, i, '--port');
      result.port = value;
      result.forwarded.push(...argv.slice(i, next));
      i = next;
    } else if (arg === '--var' || arg.startsWith('--var=')) {
      const values = arg === '--var' ? [] : [arg.slice('--var='.length)];
      let next = i + 1;
      if (arg === '--var') while (next < argv.length && !argv[next]!.startsWith('-')) values.push(argv[next++]!);
      for (const pair of values) {
        const colon = pair.indexOf(':');
        if (colon > 0) result.vars[pair.slice(0, colon)] = pair.slice(colon + 1);
      }
      result.forwarded.push(...argv.slice(i, next));
      i = next;
    } else {
      result.forwarded.push(arg);
      i++;
    }
  }
  return result;
}
