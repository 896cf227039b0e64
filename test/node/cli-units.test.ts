// In-process checks of the CLI's pure parts: the wrangler shim's SQL inlining, the password policy, --since, npm run dev's output filter.
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, COMMON_PASSWORD_COUNT, PASSWORD_MIN_CHARS } from '../../src/policy/password.ts';
import { PASSWORD_MAX_CHARS } from '../../src/constants.ts';
import { parseSince } from '../../scripts/lib/admin-audit.ts';
import { checkNewPassword, checkUserRegistration } from '../../scripts/lib/admin-users.ts';
import { parseLine } from '../../scripts/lib/cli-args.ts';
import { prepareClient } from '../../scripts/lib/client-rules.ts';
import { inlineParameters, toSqlLiteral } from '../../scripts/lib/wrangler-d1.ts';
import { refuseRemotePending } from '../../scripts/lib/database.ts';
import { parseMigrationsList } from '../../scripts/lib/migrations.ts';
import { printsReadyLine, wranglerDevOutput } from '../../scripts/lib/dev-output.ts';
import { parseDevArgs } from '../../scripts/lib/dev-args.ts';
import { resolveGateway } from '../../scripts/lib/dev-gateway.ts';
import { MCP_CONFIG, mcpDevArgs, mcpProviderVars, resolveMcpServer } from '../../scripts/lib/dev-mcp.ts';

describe('wrangler-d1 shim: inlining bound values', () => {
  it('writes strings, integers and NULL as SQLite literals', () => {
    expect(toSqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(toSqlLiteral(42)).toBe('42');
    expect(toSqlLiteral(-7)).toBe('-7');
    expect(toSqlLiteral(null)).toBe('NULL');
  });

  it('refuses anything it cannot write exactly', () => {
    for (const value of [1.5, Number.NaN, 2 ** 60, true, undefined, {}, [1], new Uint8Array(2), 10n, 'a\0b', '\ud800']) {
      expect(() => toSqlLiteral(value), String(value)).toThrow();
    }
  });

  it('replaces ? in order and ?NNN by number, leaving quotes and comments alone', () => {
    expect(inlineParameters('SELECT ?, ?', ['a', 1])).toBe("SELECT 'a', 1");
    expect(inlineParameters('SELECT ?2, ?1, ?2', ['x', 'y'])).toBe("SELECT 'y', 'x', 'y'");
    expect(inlineParameters("SELECT '?', \"?\", [?], `?` -- ?\n, ? /* ? */", [5])).toBe(
      "SELECT '?', \"?\", [?], `?` -- ?\n, 5 /* ? */",
    );
    expect(inlineParameters("SELECT 'it''s ?', ?", [null])).toBe("SELECT 'it''s ?', NULL");
  });

  it('follows SQLite numbering when ? follows ?NNN', () => {
    expect(inlineParameters('SELECT ?2, ?', ['a', 'b', 'c'])).toBe("SELECT 'b', 'c'");
  });

  it('refuses a count mismatch and named parameters', () => {
    expect(() => inlineParameters('SELECT ?', [])).toThrow(/no bound value/);
    expect(() => inlineParameters('SELECT ?', [1, 2])).toThrow(/2 values/);
    expect(() => inlineParameters('SELECT :name', ['x'])).toThrow(/named/);
    expect(() => inlineParameters("SELECT 'open", [])).toThrow(/unterminated/);
  });

  it('keeps an injection attempt inside its literal', () => {
    const sql = inlineParameters('SELECT * FROM users WHERE username = ?', ["x'; DROP TABLE users; --"]);
    expect(sql).toBe("SELECT * FROM users WHERE username = 'x''; DROP TABLE users; --'");
  });
});

describe('password policy', () => {
  it('accepts a reasonable password', () => {
    expect(checkPasswordPolicy('correct horse battery', { username: 'alice' })).toBeNull();
  });

  it('enforces the length range in characters, with a configurable minimum', () => {
    expect(checkPasswordPolicy('s3cr#t!', {})).toMatch(`at least ${PASSWORD_MIN_CHARS}`);
    expect(checkPasswordPolicy('s3cr#t!', { minChars: 6 })).toBeNull();
    expect(checkPasswordPolicy('ab12xy!?', { minChars: 12 })).toMatch('at least 12');
    const astral = Array.from({ length: PASSWORD_MAX_CHARS }, (_, i) => String.fromCodePoint(0x1f300 + ((i * 37) % 0x2ff))).join('');
    expect(checkPasswordPolicy(astral, {})).toBeNull();
    expect(checkPasswordPolicy(`${astral}x`, {})).toMatch(`at most ${PASSWORD_MAX_CHARS}`);
  });

  it('refuses the most common passwords, whatever their case', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(100);
    for (const common of ['password', 'PASSWORD1', '12345678', 'qwerty123', 'Iloveyou', 'P@ssw0rd']) {
      expect(checkPasswordPolicy(common, {}), common).toMatch('most commonly used');
    }
  });

  it('refuses the username as password, whatever its case', () => {
    expect(checkPasswordPolicy('Margaret.Hamilton', { username: 'margaret.hamilton' })).toMatch('username');
  });
});

describe('user registration checks', () => {
  const registration = (username: string) => ({ username, email: null, emailVerified: false, name: null });

  it('refuses usernames with control, bidirectional, zero-width or space characters, with a clear reason', () => {
    for (const username of ['ali\u202Ece', 'bob\u200B', 'carol\u0007', 'dave\u00A0x', 'eve\u2066x', '\uFEFFfrank']) {
      expect(() => checkUserRegistration(registration(username)), JSON.stringify(username)).toThrow(
        'usernames must not contain control, formatting (bidirectional, zero-width) or space characters',
      );
    }
  });

  it('accepts letters of any script with their combining marks, and fullwidth forms (stored as NFKC)', () => {
    for (const username of ['zoë', 'zoe\u0308', 'देवनागरी', 'ｆｕｌｌｗｉｄｔｈ', 'grace@example.com']) {
      expect(() => checkUserRegistration(registration(username)), username).not.toThrow();
    }
  });

  it('passes BRAND_NAME to the password policy when the CLI knows it', () => {
    expect(() => checkNewPassword('AcmeCorp#1', 'alice', 'Acme Corp')).toThrow('password must not be based on the service name "Acme Corp"');
    expect(() => checkNewPassword('AcmeCorp#1', 'alice')).not.toThrow();
  });
});

describe('admin CLI parsing', () => {
  it('reads --since as a duration or an ISO-8601 time', () => {
    expect(parseSince('24h', 1_000_000)).toBe(1_000_000 - 86_400);
    expect(parseSince('7d', 1_000_000)).toBe(1_000_000 - 7 * 86_400);
    expect(parseSince('2025-01-31T00:00:00Z')).toBe(Date.UTC(2025, 0, 31) / 1000);
    expect(parseSince('2025-01-31')).toBe(Date.UTC(2025, 0, 31) / 1000);
    expect(() => parseSince('yesterday')).toThrow(/ISO-8601/);
  });

  it('never takes a password from the arguments', () => {
    for (const flag of ['--password', '--password=hunter22', '-password', '--pw=x']) {
      expect(() => parseLine(['user', 'create', '--username', 'a', flag]), flag).toThrow(/never taken from the command line/);
    }
  });
});

describe('admin CLI ids that start with a dash', () => {
  it('reads them as arguments and option values, not as options', () => {
    const line = parseLine(['user', 'show', '-Abc_123']);
    expect(line.words).toEqual(['user', 'show', '-Abc_123']);
    const audit = parseLine(['audit', '--user', '-Xyz', '--client', '--Q9z', '--limit', '5']);
    expect(audit.values).toMatchObject({ user: '-Xyz', client: '--Q9z', limit: '5' });
    expect(() => parseLine(['client', 'list', '--frob'])).toThrow(/unknown option --frob/);
  });
});

describe('D1 migrations: what wrangler lists, and --remote never migrated by the CLI', () => {
  const listed = `
 ⛅️ wrangler 4.156.2
───────────────────
Resource location: remote

Migrations to be applied:
┌──────────────────────┐
│ name                 │
├──────────────────────┤
│ 0001_initial.sql     │
├──────────────────────┤
│ 0002_consents.sql    │
└──────────────────────┘
`;

  it('reads the pending names from wrangler d1 migrations list, and none from "No migrations to apply"', () => {
    expect(parseMigrationsList(listed)).toEqual(['0001_initial.sql', '0002_consents.sql']);
    expect(parseMigrationsList('Resource location: remote\n\n✅ No migrations to apply!\n')).toEqual([]);
  });

  it('refuses a remote command while migrations are pending, naming them and the command that applies them', () => {
    expect(() => refuseRemotePending(['0002_consents.sql'], 'remote')).toThrow(
      'the deployed D1 has 1 pending migration (0002_consents.sql): apply them first with npx wrangler d1 migrations apply DB --remote',
    );
    expect(() => refuseRemotePending([], 'remote')).not.toThrow();
    expect(() => refuseRemotePending(['0002_consents.sql'], 'local')).not.toThrow();
  });
});

describe('client rules: the access token audience', () => {
  it('refuses client_credentials without an audience (RFC 9068 §2.2, RFC 9700 §4.9)', () => {
    expect(() => prepareClient({ name: 'Job', isPublic: false, grantTypes: ['client_credentials'] })).toThrow(/client_credentials needs --audience/);
    expect(prepareClient({ name: 'Job', isPublic: false, grantTypes: ['client_credentials'], audience: 'https://api.example' }).audience).toBe('https://api.example');
  });
});

describe('client rules: resources (RFC 8707)', () => {
  it('accepts absolute URIs, drops duplicates, and lets client_credentials name a resource instead of an audience', () => {
    const prepared = prepareClient({ name: 'Job', isPublic: false, grantTypes: ['client_credentials'], resources: ['urn:a', 'https://b.example', 'urn:a'] });
    expect(prepared.resources).toEqual(['urn:a', 'https://b.example']);
    expect(prepared.audience).toBeNull();
  });

  it.each(['https://b.example/#x', 'b.example', '/b', 'https://b.example/a b'])('refuses %s', (resource) => {
    expect(() => prepareClient({ name: 'Job', isPublic: false, redirectUris: ['https://j.example/cb'], resources: [resource] })).toThrow(/resource/);
  });
});

describe('npm run dev: wrangler dev output filter', () => {
  it('drops the bindings table, the .dev.vars line, the offline Request.cf warning with its stack, and the ready line', () => {
    let out = '';
    let ready = 0;
    const filter = wranglerDevOutput((text) => (out += text), () => ready++);
    const sample = [
      ' ⛅️ wrangler 4.156.2', '────────────────────', 'Using secrets defined in .dev.vars',
      'Your Worker has access to the following bindings:',
      'Binding                      Resource          Mode',
      'env.DB (edge-oidc)           D1 Database       local',
      "[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...",
      'Error: getaddrinfo ENOTFOUND workers.cloudflare.com',
      '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:123:26)',
      'env.SIGNING_KEYS ("(hidden)")  Environment Variable  local', '',
      '⎔ Starting local server...', '\x1b[32m[wrangler:info] Ready on http://127.0.0.1:8787\x1b[0m',
      '[wrangler:info] GET / 200 OK (3ms)', 'X [ERROR] a real error',
    ].join('\n');
    for (const chunk of sample.match(/[\s\S]{1,7}/g)!) filter.write(chunk);
    filter.end();
    expect(out).toBe(' ⛅️ wrangler 4.156.2\n────────────────────\n⎔ Starting local server...\n[wrangler:info] GET / 200 OK (3ms)\nX [ERROR] a real error\n');
    expect(ready).toBe(1);
  });

  it('waits for the ready line only where wrangler logs at info level', () => {
    const saved = process.env.WRANGLER_LOG;
    try {
      delete process.env.WRANGLER_LOG;
      expect(printsReadyLine(['--port', '9000'])).toBe(true);
      expect(printsReadyLine(['--log-level', 'warn'])).toBe(false);
      expect(printsReadyLine(['--log-level=error'])).toBe(false);
      process.env.WRANGLER_LOG = 'warn';
      expect(printsReadyLine([])).toBe(false);
      expect(printsReadyLine(['--log-level', 'info'])).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.WRANGLER_LOG;
      else process.env.WRANGLER_LOG = saved;
    }
  });
});

describe('npm run dev --mcp: the MCP server example beside the provider', () => {
  it('is an own flag, not forwarded to wrangler, and puts the server two ports above the provider on the gateway\'s host', () => {
    const args = parseDevArgs(['--mcp', '--port', '9000', '--ip', '127.0.0.1', '--var', 'ISSUER:http://127.0.0.1:9000']);
    expect(args.mcp).toBe(true);
    expect(args.forwarded).toEqual(['--port', '9000', '--ip', '127.0.0.1', '--var', 'ISSUER:http://127.0.0.1:9000']);
    expect(parseDevArgs([]).mcp).toBe(false);
    const server = resolveMcpServer(resolveGateway('http://127.0.0.1:9000', '9000'));
    expect(server).toEqual({ url: 'http://127.0.0.1:9002/mcp', origin: 'http://127.0.0.1:9002', port: 9002 });
    expect(mcpDevArgs({ server, issuer: 'http://127.0.0.1:9000', persistDir: '/state', forwarded: args.forwarded, inspectorPort: 9229 })).toEqual([
      '--config', MCP_CONFIG, '--port', '9002', '--ip', '127.0.0.1', '--persist-to', '/state/mcp-server',
      '--var', 'ISSUER:http://127.0.0.1:9000', 'MCP_SERVER_URL:http://127.0.0.1:9002/mcp',
      '--show-interactive-dev-session=false', '--log-level', 'warn', '--inspector-port', '9229',
    ]);
  });

  it('opens client registration on the provider and allows the MCP server as a resource, unless the developer chose otherwise', () => {
    const server = resolveMcpServer(resolveGateway('http://localhost:8787', undefined));
    expect(server.url).toBe('http://localhost:8789/mcp');
    expect(mcpProviderVars(server, {})).toEqual(['CLIENT_REGISTRATION:open', 'ALLOWED_RESOURCES:http://localhost:8789/mcp']);
    expect(mcpProviderVars(server, { CLIENT_REGISTRATION: 'token' })).toEqual(['ALLOWED_RESOURCES:http://localhost:8789/mcp']);
    expect(mcpProviderVars(server, { CLIENT_REGISTRATION: 'closed', ALLOWED_RESOURCES: 'https://mcp.example.com/mcp' })).toEqual([]);
  });
});
