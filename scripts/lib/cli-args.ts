// The admin CLI's grammar: `<noun> <verb> [positionals] [options]`, each command naming the options it takes.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { CliError } from './cli-error.ts';

const OPTIONS = {
  // Global.
  json: { type: 'boolean' },
  remote: { type: 'boolean' },
  'persist-to': { type: 'string' },
  'pepper-file': { type: 'string' },
  'via-wrangler': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // client
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  public: { type: 'boolean' },
  'auth-method': { type: 'string' },
  grant: { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  audience: { type: 'string' },
  resource: { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'id-token-alg': { type: 'string' },
  'client-id': { type: 'string' },
  'first-party': { type: 'boolean' },
  'third-party': { type: 'boolean' },
  // client registration-token
  expires: { type: 'string' },
  mfa: { type: 'string' },
  // user
  username: { type: 'string' },
  email: { type: 'string' },
  'email-verified': { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  // keys
  alg: { type: 'string' },
  // audit
  user: { type: 'string' },
  client: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  // doctor
  issuer: { type: 'string' },
  // mail list
  to: { type: 'string' },
  // provider (upstream identity providers)
  kind: { type: 'string' },
  tenant: { type: 'string' },
  'client-secret-stdin': { type: 'boolean' },
  'trust-email': { type: 'boolean' },
  'no-trust-email': { type: 'boolean' },
  'allowed-domain': { type: 'string', multiple: true },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  'keep-tokens': { type: 'boolean' },
  'no-keep-tokens': { type: 'boolean' },
  'data-key-file': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export type OptionName = keyof typeof OPTIONS;

export interface OptionValues {
  json?: boolean;
  remote?: boolean;
  'persist-to'?: string;
  'pepper-file'?: string;
  'via-wrangler'?: boolean;
  help?: boolean;
  name?: string;
  'redirect-uri'?: string[];
  public?: boolean;
  'auth-method'?: string;
  grant?: string[];
  scope?: string[];
  audience?: string;
  resource?: string[];
  'post-logout-redirect-uri'?: string[];
  'id-token-alg'?: string;
  'client-id'?: string;
  'first-party'?: boolean;
  'third-party'?: boolean;
  expires?: string;
  mfa?: string;
  username?: string;
  email?: string;
  'email-verified'?: boolean;
  'password-stdin'?: boolean;
  alg?: string;
  user?: string;
  client?: string;
  type?: string;
  since?: string;
  limit?: string;
  issuer?: string;
  to?: string;
  kind?: string;
  tenant?: string;
  'client-secret-stdin'?: boolean;
  'trust-email'?: boolean;
  'no-trust-email'?: boolean;
  'allowed-domain'?: string[];
  enable?: boolean;
  disable?: boolean;
  'keep-tokens'?: boolean;
  'no-keep-tokens'?: boolean;
  'data-key-file'?: string;
}

const GLOBAL_OPTIONS: readonly OptionName[] = ['json', 'remote', 'persist-to', 'pepper-file', 'data-key-file', 'via-wrangler', 'help'];

export interface CommandSpec {
  /** e.g. "client create" or "audit". */
  name: string;
  /** Names of the positional arguments, e.g. ['ID', 'URI']. */
  args: readonly string[];
  options: readonly OptionName[];
}

export interface ParsedCommand {
  spec: CommandSpec;
  args: string[];
  values: OptionValues;
}

export interface ParsedLine {
  /** The positionals as given: noun, verb, arguments. */
  words: string[];
  values: OptionValues;
  /** Options actually present on the command line. */
  given: Set<OptionName>;
}

const PASSWORD_FLAG = /^--?(password|pass|pw)(=|$)/i;

// Our options are lower-case kebab words; anything else that starts with "-" is a value.
const OPTION_TOKEN = /^--[a-z][a-z-]*(=|$)/;
const PLACEHOLDER = '\u0000arg';

/**
 * Base64url ids (users, clients) may start with "-", which parseArgs would read as an option. Such
 * tokens are swapped for placeholders before parsing and restored after, as positionals or values.
 */
function protectDashValues(argv: string[]): { args: string[]; restore: (value: string) => string } {
  const saved: string[] = [];
  const args = argv.map((token) => {
    if (token === '--' || token === '-h' || !token.startsWith('-') || OPTION_TOKEN.test(token)) return token;
    saved.push(token);
    return `${PLACEHOLDER}${saved.length - 1}`;
  });
  const restore = (value: string) => (value.startsWith(PLACEHOLDER) ? saved[Number(value.slice(PLACEHOLDER.length))]! : value);
  return { args, restore };
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new CliError(`unknown option ${unknown[1]} (see: npm run admin -- help)`);
    throw new CliError(message.split('\n')[0]!.replace(/\.$/, ''));
  }
}

export function parseLine(argv: string[]): ParsedLine {
  // Arguments end up in shell history and `ps`: passwords are taken from stdin or a prompt only.
  if (argv.some((a) => PASSWORD_FLAG.test(a))) {
    throw new CliError('passwords are never taken from the command line: use --password-stdin or answer the prompt');
  }
  const { args, restore } = protectDashValues(argv);
  const parsed = parseStrict(args);
  const given = new Set<OptionName>();
  for (const token of parsed.tokens) if (token.kind === 'option') given.add(token.name as OptionName);
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    values[name] = typeof value === 'string' ? restore(value) : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? restore(v) : v)) : value;
  }
  return { words: parsed.positionals.map(restore), values: values as OptionValues, given };
}

/** Checks a parsed line against its command: the right number of arguments, only options it takes. */
export function bindCommand(line: ParsedLine, spec: CommandSpec): ParsedCommand {
  const consumed = spec.name.split(' ').length;
  const args = line.words.slice(consumed);
  if (args.length !== spec.args.length) {
    const usage = [spec.name, ...spec.args].join(' ');
    throw new CliError(`${spec.name} takes ${spec.args.length || 'no'} argument${spec.args.length === 1 ? '' : 's'}: ${usage}`);
  }
  for (const option of line.given) {
    if (!GLOBAL_OPTIONS.includes(option) && !spec.options.includes(option)) {
      throw new CliError(`${spec.name} does not take --${option}`);
    }
  }
  return { spec, args, values: line.values };
}

/** Repeated list options, each value also split on spaces and commas: `--scope "openid email"`. */
export function listOption(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}
