// The endpoints under test: how to make each request, what it must answer, and the unavoidable work it does.
import { BENCH_METADATA_DOCUMENT_URL, BENCH_METADATA_REDIRECT_URI } from './metadata-stand-in.ts';
import { passkeyLoginSpec } from './passkey.ts';
import type { BenchServer } from './server.ts';
import { BenchError, RelyingParty, type RequestSpec } from './rp.ts';

/** Primitives measured in the runtime (bench/worker/floors.ts). */
export type FloorName = 'pbkdf2' | 'rs256' | 'es256' | 'es256_verify' | 'sha256' | 'hs256';

export interface Scenario {
  key: string;
  title: string;
  /** The primitives this endpoint cannot avoid; their sum is its CPU floor. */
  floors: FloorName[];
  /** Makes what `count` requests will consume (codes, refresh tokens) before the clock starts. */
  prepare?(count: number): Promise<void>;
  /** How many requests the prepared supply allows (codes expire after 60 s, so it is bounded). */
  supplyLimit?: number;
  request(i: number): RequestSpec;
  check(res: Response): Promise<void>;
  /** The status the in-isolate replay must see; absent when the scenario cannot be replayed (a rotation chain). */
  loopStatus?: number;
  /** Runs before each traced request and before an in-isolate replay is recorded (e.g. to empty the client cache). */
  beforeTrace?(): Promise<void>;
  /** Warm-up request before a trace, e.g. to fill the per-isolate client cache. */
  warm?: boolean;
  /** False for what is only traced (a cold cache cannot stay cold under load). */
  load?: boolean;
  /** False for routes outside the app, which have no storage trace. */
  traced?: boolean;
}

export interface Session {
  rp: RelyingParty;
  cookie: string;
  tx: string;
  accessToken: string;
  refreshSupported: boolean;
}

async function parallel(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
}

/** One signed-in browser and one token set: the state the scenarios start from. */
export async function openSession(server: BenchServer): Promise<Session> {
  const rp = new RelyingParty(server.issuer, server.fixture);
  const first = await rp.signIn(server.fixture.usernames[0]!);
  const tokens = await rp.exchange(first.code);
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { grant_types_supported?: string[] };
  return {
    rp,
    cookie: first.cookie,
    tx: await rp.loginForm(),
    accessToken: tokens.access_token,
    refreshSupported: discovery.grant_types_supported?.includes('refresh_token') ?? false,
  };
}

export function buildScenarios(server: BenchServer, session: Session, concurrency: number): Scenario[] {
  const { rp, cookie, tx } = session;
  const users = server.fixture.usernames;
  const codes: string[] = [];
  const refreshPool: string[] = [];
  const passkeyLogins: RequestSpec[] = [];

  const get = (key: string, title: string, path: string, status: number, floors: FloorName[] = []): Scenario => ({
    key, title, floors, loopStatus: status,
    request: () => rp.getSpec(path),
    check: async (res) => {
      await rp.expectStatus(res, status, title);
    },
  });

  const cimdClient = { clientId: BENCH_METADATA_DOCUMENT_URL, redirectUri: BENCH_METADATA_REDIRECT_URI };
  const metadataCache = async (state: 'memory' | 'kv' | 'none') => {
    const res = await fetch(`${server.issuer}/__bench/metadata-cache?state=${state}`, { method: 'POST' });
    await rp.expectStatus(res, 200, `metadata document cache: ${state}`);
  };

  const cacheable = async (res: Response, what: string) => {
    await rp.expectStatus(res, 200, what);
    if (!/public/.test(res.headers.get('Cache-Control') ?? '')) throw new BenchError(`${what} is not publicly cacheable`);
  };

  const scenarios: Scenario[] = [
    { ...get('empty', 'empty Worker route (no app)', '/__bench/empty', 200), loopStatus: undefined, traced: false },
    get('not_found', 'unknown path through the app (middleware only)', '/bench-not-found', 404),
    {
      ...get('discovery', 'GET /.well-known/openid-configuration', '/.well-known/openid-configuration', 200),
      check: (res) => cacheable(res, 'discovery'),
    },
    {
      ...get('jwks', 'GET /.well-known/jwks.json', '/.well-known/jwks.json', 200),
      check: (res) => cacheable(res, 'JWKS'),
    },
    {
      key: 'authorize', title: 'GET /authorize, new browser -> login form (client cached)', floors: ['hs256'], loopStatus: 200, warm: true,
      request: (i) => rp.authorizeSpec(`s${i}`),
      check: async (res) => { await rp.expectLoginForm(res); },
    },
    {
      key: 'authorize_cold', title: 'GET /authorize, new browser, client cache empty', floors: ['hs256'], load: false,
      beforeTrace: async () => { await fetch(`${server.issuer}/__bench/clear-client-cache`, { method: 'POST' }); },
      request: (i) => rp.authorizeSpec(`c${i}`),
      check: async (res) => { await rp.expectLoginForm(res); },
    },
    // A client_id that is an https URL (issue 16): its metadata document in this isolate's memory, in KV only, or
    // nowhere, when /authorize fetches it (bench/worker/outbound.ts answers for the one URL and counts the fetch).
    {
      key: 'authorize_cimd', title: 'GET /authorize, new browser -> login form, metadata-document client (document cached)',
      floors: ['hs256'], loopStatus: 200,
      beforeTrace: () => metadataCache('memory'),
      prepare: () => metadataCache('memory'),
      request: (i) => rp.authorizeSpec(`m${i}`, { client: cimdClient }),
      check: async (res) => { await rp.expectLoginForm(res); },
    },
    {
      key: 'authorize_cimd_kv', title: 'GET /authorize, new browser, metadata-document client, document in KV only',
      floors: ['hs256'], load: false,
      beforeTrace: () => metadataCache('kv'),
      request: (i) => rp.authorizeSpec(`v${i}`, { client: cimdClient }),
      check: async (res) => { await rp.expectLoginForm(res); },
    },
    {
      key: 'authorize_cimd_miss', title: 'GET /authorize, new browser, metadata-document client, document fetched',
      floors: ['hs256'], load: false,
      beforeTrace: () => metadataCache('none'),
      request: (i) => rp.authorizeSpec(`x${i}`, { client: cimdClient }),
      check: async (res) => { await rp.expectLoginForm(res); },
    },
    {
      key: 'authorize_sso', title: 'GET /authorize with an SSO session -> code', floors: ['hs256', 'sha256'], loopStatus: 302, warm: true,
      request: (i) => rp.authorizeSpec(`o${i}`, { cookie }),
      check: async (res) => { await rp.expectCode(res, 302); },
    },
    {
      key: 'login', title: 'POST /login (correct password) -> code', floors: ['pbkdf2'], loopStatus: 303, warm: true,
      request: (i) => rp.loginSpec(tx, users[i % users.length]!),
      check: async (res) => { await rp.expectCode(res, 303); },
    },
    {
      // Each answer is single use (its challenge is claimed), so like codes they are made before the clock starts.
      key: 'login_passkey', title: 'POST /login with a passkey (ES256, user verified) -> code', floors: ['es256_verify'], loopStatus: 303, warm: true,
      supplyLimit: 3000,
      prepare: async (count) => {
        passkeyLogins.length = 0;
        await parallel(count, concurrency, async (i) => {
          const page = await rp.send(rp.authorizeSpec(`k${i}`), { 'x-bench-label': 'setup' });
          passkeyLogins.push(await passkeyLoginSpec(server.issuer, await page.text(), server.fixture.passkey, i));
        });
      },
      request: () => {
        const spec = passkeyLogins.shift();
        if (!spec) throw new BenchError('ran out of passkey sign-ins');
        return spec;
      },
      check: async (res) => { await rp.expectCode(res, 303); },
    },
    {
      key: 'token', title: 'POST /token, authorization_code (RS256 id_token, ES256 access token)', floors: ['rs256', 'es256'], loopStatus: 200, warm: true,
      supplyLimit: 3000,
      prepare: async (count) => {
        codes.length = 0;
        await parallel(count, concurrency, async (i) => { codes.push(await rp.ssoCode(cookie, `p${i}`)); });
      },
      request: () => {
        const code = codes.pop();
        if (!code) throw new BenchError('ran out of authorization codes');
        return rp.tokenSpec(code);
      },
      check: async (res) => { await rp.expectTokens(res); },
    },
  ];

  if (session.refreshSupported) {
    scenarios.push({
      key: 'refresh', title: 'POST /token, refresh_token (rotation; RS256 id_token, ES256 access token)', floors: ['rs256', 'es256'], warm: true,
      prepare: async (count) => {
        // A rotation chain per worker: each answer's refresh token is the next request's.
        while (refreshPool.length < Math.min(count, concurrency + 16)) {
          const token = await rp.obtainRefreshToken(cookie);
          if (!token) throw new BenchError('discovery lists refresh_token, but no refresh token was issued');
          refreshPool.push(token);
        }
      },
      request: () => {
        const token = refreshPool.shift();
        if (!token) throw new BenchError('ran out of refresh tokens');
        return rp.refreshSpec(token);
      },
      check: async (res) => {
        const tokens = await rp.expectTokens(res);
        if (!tokens.refresh_token) throw new BenchError('refresh answered without a new refresh token');
        refreshPool.push(tokens.refresh_token);
      },
    });
  }

  scenarios.push({
    key: 'userinfo', title: 'GET /userinfo (ES256 access token)', floors: ['es256_verify'], loopStatus: 200, warm: true,
    request: () => rp.userinfoSpec(session.accessToken),
    check: async (res) => { await rp.expectStatus(res, 200, 'userinfo'); },
  });
  return scenarios;
}

/** A complete sign-in as a browser and relying party do it: authorize -> login form -> login -> code -> token. */
export function signInStep(server: BenchServer, session: Session) {
  const { rp } = session;
  const users = server.fixture.usernames;
  const label = { 'x-bench-label': 'sign_in' };
  return async (i: number) => {
    const tx = await rp.expectLoginForm(await rp.send(rp.authorizeSpec(`f${i}`), label));
    const code = await rp.expectCode(await rp.send(rp.loginSpec(tx, users[i % users.length]!), label), 303);
    await rp.expectTokens(await rp.send(rp.tokenSpec(code), label));
  };
}
