// The admin CLI (`npm run admin -- <noun> <verb>`): clients, users, signing keys and the audit log; see docs/cli.md.
import { currentActor } from './lib/admin-audit.ts';
import { bindCommand, type CommandSpec, parseLine } from './lib/cli-args.ts';
import { CliError, describeError } from './lib/cli-error.ts';
import { auditCommand } from './lib/commands/audit.ts';
import {
  addRedirectUriCommand, createClient, deleteClientCommand, listClientsCommand, rotateSecretCommand, showClientCommand,
  updateClientCommand,
} from './lib/commands/client.ts';
import type { CommandContext, CommandHandler } from './lib/commands/context.ts';
import { createRegistrationTokenCommand } from './lib/commands/registration-token.ts';
import { doctorCommand } from './lib/commands/doctor.ts';
import { inviteUserCommand } from './lib/commands/invite.ts';
import { generateKeysCommand } from './lib/commands/keys.ts';
import {
  mailListCommand, requirePasswordChangeCommand, sendResetCommand, sendVerificationCommand, verifyEmailCommand,
} from './lib/commands/mail.ts';
import {
  createUserCommand, deleteUserCommand, disableUserCommand, enableUserCommand, listUsersCommand, setPasswordCommand,
  showUserCommand,
} from './lib/commands/user.ts';
import { resetMfaCommand, showMfaCommand } from './lib/commands/user-mfa.ts';
import { deletePasskeyCommand, listPasskeysCommand } from './lib/commands/passkey.ts';
import { type Database, type DatabaseMode, explainDatabaseError, openCurrentDatabase } from './lib/database.ts';
import { readDevVars } from './lib/dev-vars.ts';
import { loadPeppers } from './lib/peppers.ts';
import { loadDataKeys } from './lib/data-keys.ts';
import {
  addProviderCommand, listProvidersCommand, removeProviderCommand, showProviderCommand, updateProviderCommand,
} from './lib/commands/provider.ts';
import { findProject, resolvePersistDir } from './lib/project.ts';

const USAGE = `Usage: npm run admin -- <command> [options]

Clients
  client create --name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]
                [--auth-method client_secret_basic|client_secret_post] [--grant GRANT ...]
                [--scope SCOPE ...] [--audience AUD] [--resource URI ...] [--post-logout-redirect-uri URI ...]
                [--id-token-alg RS256|ES256] [--client-id ID] [--first-party]
                [--mfa off|optional|required|default]
  client list
  client show ID
  client update ID [--name NAME] [--grant GRANT ...] [--scope SCOPE ...] [--audience AUD] [--resource URI ...]
                [--redirect-uri URI ...] [--post-logout-redirect-uri URI ...]   (lists are replaced)
                [--first-party | --third-party] [--mfa off|optional|required|default]
    first-party: the service's own app, its users are not asked for consent (default: third-party)
    mfa: the client's own second-factor policy; default follows the deployment's MFA_POLICY
  client add-redirect-uri ID URI
  client rotate-secret ID
  client delete ID
    grants: authorization_code, refresh_token, client_credentials,
            urn:ietf:params:oauth:grant-type:device_code
    client_credentials needs --audience or --resource (its tokens' aud; never the issuer)
    --resource: a resource (RFC 8707) its tokens may be for, an absolute URI without a fragment;
                --audience is the default resource when a request names none
  client registration-token create [--expires 7d]
    an initial access token for CLIENT_REGISTRATION=token (POST /register, RFC 7591); shown once,
    usable until it expires (1m to 365d, default 7d). client list marks self-registered clients BY dcr
Users (USER is an id or a username)
  user create --username NAME [--email E] [--email-verified] [--name N] [--password-stdin]
  user list
  user show USER
  user set-password USER [--password-stdin]
  user disable USER        (also ends their sessions)
  user enable USER
  user delete USER         (also ends their sessions)
  user send-reset USER | send-verification USER   mail a reset link / a verification link and code
  user verify-email USER | require-password-change USER   (the next sign-in asks for a new password)
  user mfa show USER       TOTP on or off (and since when), recovery codes left
  user mfa reset USER      removes TOTP and recovery codes, ends their sessions
  user passkey list USER
  user passkey delete USER ID
  user invite --email E    mail a single-use sign-up link (SIGNUP=invite); printed too, locally
    Passwords come from stdin (--password-stdin) or a prompt without echo, never from arguments.
Mail (local: the dev outbox; --remote sends with EMAIL_TRANSPORT=http, EMAIL_API_KEY from the environment)
  mail list [--to ADDRESS]   the dev outbox, newest first, with every link
Upstream identity providers ("Sign in with ..."; the client secret from stdin, encrypted under DATA_ENCRYPTION_KEY)
  provider add --kind oidc|google|microsoft|github --name NAME [--issuer URL] [--tenant T] --client-id ID
               --client-secret-stdin [--scope S ...] [--trust-email] [--allowed-domain D ...] [--keep-tokens] [--disable]
  provider list
  provider show NAME
  provider update NAME [--issuer URL] [--tenant T] [--client-id ID] [--client-secret-stdin] [--scope S ...]
               [--trust-email | --no-trust-email] [--allowed-domain D ...] [--enable | --disable]
               [--keep-tokens | --no-keep-tokens]   (lists are replaced)
  provider remove NAME      (also removes its links)
    presets: google (accounts.google.com), microsoft --tenant T (login.microsoftonline.com/T/v2.0),
             github (OAuth 2.0 and its user API; --issuer for GitHub Enterprise Server), oidc --issuer URL
Keys
  keys generate [--alg RS256|ES256]    private JWKS for: npx wrangler secret put SIGNING_KEYS
Audit log
  audit [--user USER] [--client ID] [--type TYPE] [--since 24h|7d|ISO-8601] [--limit N]
Deployment
  doctor --issuer URL      checks discovery, JWKS, secrets and bindings (names only), pending migrations;
                           exit 0 when all pass. Locally: wrangler.toml, .dev.vars and the local D1;
                           --remote: wrangler secret list, wrangler d1 migrations list --remote

Options for every command
  --json              machine output: only JSON on stdout
  --persist-to DIR    local state directory, as for wrangler dev (default .wrangler/state)
  --remote            the deployed D1 (through wrangler d1 execute --remote)
  --pepper-file FILE  PASSWORD_PEPPER for hashing passwords; default: .dev.vars locally,
                      the PASSWORD_PEPPER environment variable with --remote
  --data-key-file FILE  DATA_ENCRYPTION_KEY for encrypting upstream client secrets; the same defaults
  -h, --help          this text
`;

const COMMANDS: Record<string, { spec: CommandSpec; run: CommandHandler }> = {};
function command(name: string, args: string[], options: CommandSpec['options'], run: CommandHandler): void {
  COMMANDS[name] = { spec: { name, args, options }, run };
}

command('client create', [], [
  'name', 'redirect-uri', 'public', 'auth-method', 'grant', 'scope', 'audience', 'resource', 'post-logout-redirect-uri', 'id-token-alg',
  'client-id', 'first-party', 'third-party', 'mfa',
], createClient);
command('client list', [], [], listClientsCommand);
command('client show', ['ID'], [], showClientCommand);
command('client update', ['ID'], [
  'name', 'grant', 'scope', 'audience', 'resource', 'post-logout-redirect-uri', 'redirect-uri', 'first-party', 'third-party', 'mfa',
], updateClientCommand);
command('client add-redirect-uri', ['ID', 'URI'], [], addRedirectUriCommand);
command('client rotate-secret', ['ID'], [], rotateSecretCommand);
command('client delete', ['ID'], [], deleteClientCommand);
command('client registration-token create', [], ['expires'], createRegistrationTokenCommand);
command('user create', [], ['username', 'email', 'email-verified', 'name', 'password-stdin'], createUserCommand);
command('user list', [], [], listUsersCommand);
command('user show', ['USER'], [], showUserCommand);
command('user set-password', ['USER'], ['password-stdin'], setPasswordCommand);
command('user disable', ['USER'], [], disableUserCommand);
command('user enable', ['USER'], [], enableUserCommand);
command('user delete', ['USER'], [], deleteUserCommand);
command('user send-reset', ['USER'], [], sendResetCommand);
command('user send-verification', ['USER'], [], sendVerificationCommand);
command('user verify-email', ['USER'], [], verifyEmailCommand);
command('user require-password-change', ['USER'], [], requirePasswordChangeCommand);
command('user invite', [], ['email'], inviteUserCommand);
command('mail list', [], ['to'], mailListCommand);
command('user mfa show', ['USER'], [], showMfaCommand);
command('user mfa reset', ['USER'], [], resetMfaCommand);
command('user passkey list', ['USER'], [], listPasskeysCommand);
command('user passkey delete', ['USER', 'ID'], [], deletePasskeyCommand);
command('provider add', [], [
  'kind', 'name', 'issuer', 'tenant', 'client-id', 'client-secret-stdin', 'scope', 'trust-email', 'allowed-domain', 'keep-tokens', 'disable',
], addProviderCommand);
command('provider list', [], [], listProvidersCommand);
command('provider show', ['NAME'], [], showProviderCommand);
command('provider update', ['NAME'], [
  'issuer', 'tenant', 'client-id', 'client-secret-stdin', 'scope', 'trust-email', 'no-trust-email', 'allowed-domain', 'keep-tokens',
  'no-keep-tokens', 'enable', 'disable', 'kind', 'name',
], updateProviderCommand);
command('provider remove', ['NAME'], [], removeProviderCommand);
command('keys generate', [], ['alg'], generateKeysCommand);
command('audit', [], ['user', 'client', 'type', 'since', 'limit'], auditCommand);
command('doctor', [], ['issuer'], doctorCommand);

async function main(argv: string[]): Promise<void> {
  const line = parseLine(argv);
  const [noun, verb] = line.words;
  if (line.values.help || noun === undefined || noun === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const entry = COMMANDS[noun] ?? COMMANDS[line.words.slice(0, 3).join(' ')] ?? (verb === undefined ? undefined : COMMANDS[`${noun} ${verb}`]);
  if (!entry) {
    process.stderr.write(USAGE);
    throw new CliError(`unknown command: ${[noun, verb].filter(Boolean).join(' ')}`);
  }
  const { args, values } = bindCommand(line, entry.spec);
  if (values.remote && (values['via-wrangler'] || values['persist-to'])) {
    throw new CliError('--remote cannot be combined with --persist-to or --via-wrangler');
  }
  const mode: DatabaseMode = values.remote ? 'remote' : values['via-wrangler'] ? 'local-via-wrangler' : 'local';
  const project = findProject();
  let database: Database | undefined;
  const ctx: CommandContext = {
    args,
    values,
    json: values.json ?? false,
    actor: currentActor('admin-cli'),
    db: async () => {
      database ??= await openCurrentDatabase({ project, mode, persistDir: resolvePersistDir(project, values['persist-to']) });
      return database.db;
    },
    peppers: () => loadPeppers({ project, remote: mode === 'remote', pepperFile: values['pepper-file'] }),
    dataKeys: () => loadDataKeys({ project, remote: mode === 'remote', keyFile: values['data-key-file'] }),
    brandName: () => readDevVars(project).then((vars) => vars.BRAND_NAME || undefined, () => undefined),
    vars: () => readDevVars(project),
  };
  try {
    await entry.run(ctx);
  } catch (error) {
    throw error instanceof CliError ? error : new CliError(explainDatabaseError(describeError(error), mode));
  } finally {
    await database?.close();
  }
}

main(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
