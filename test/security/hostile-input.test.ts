// Property-based hostile input (fast-check): random and malicious values at every endpoint and parameter.
// Whatever arrives, the answer is never a 5xx, never a redirect to an unregistered URI, never reflected
// markup, and never a token for a request that was not a legitimate one.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { pruneRateLimitsStatement } from '../../src/store/rate-limits.ts';
import { attemptCounter } from '../../src/store/throttle-counter.ts';
import { digestToken } from '../../src/crypto/digest.ts';
import {
  authorizeUrl, basic, call, createClient, createUser, exchange, form, formAs, hiddenTx, ISSUER, pkcePair, signIn,
  type TestClient, type TestUser,
} from '../helpers/fixtures.ts';
import { refresh } from '../helpers/flow.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const MARKUP = [/<script>alert\(1\)/i, /<img src=x onerror/i];
const TOKEN_MEMBER = /"(access_token|id_token|refresh_token)"\s*:/;
const TOKEN_IN_URL = /[?#&](access_token|id_token|refresh_token)=/;
const POST_LOGOUT = 'https://app.example.com/signed-out';
const RUNS = 80;
// Sign-in forms cost a PBKDF2 per request.
const LOGIN_RUNS = 60;
// A property sends up to 120 requests into workerd: a few seconds, above vitest's 5 s default.
const TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------------
// The world the requests are thrown at: clients, a user, a live session, live signed forms and tokens.

interface World {
  web: TestClient;
  pub: TestClient;
  post: TestClient;
  cc: TestClient;
  user: TestUser;
  cookie: string;
  accessToken: string;
  idToken: string;
  usedCode: string;
  usedRefreshToken: string;
  liveRefreshToken: string;
  verifier: string;
  challenge: string;
  pendingDeviceCode: string;
  userCodeA: string;
  userCodeB: string;
  loginTx: string;
  consentTx: string;
  deviceLoginTx: string;
  deviceDecisionTx: string;
  logoutTx: string;
  /** Every redirect URI and post-logout URI the fixture clients registered: the only allowed redirect targets. */
  registered: Set<string>;
}

let w: World;

async function ok(res: Response): Promise<Response> {
  if (res.status !== 200) throw new Error(`setup: ${res.url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

async function pageTx(res: Response): Promise<string> {
  return hiddenTx(await (await ok(res)).text());
}

beforeAll(async () => {
  const user = await createUser({ name: 'Fuzz User' });
  const web = await createClient({ name: 'Web App', postLogoutRedirectUris: [POST_LOGOUT] });
  const pub = await createClient({ tokenEndpointAuthMethod: 'none', grantTypes: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT] });
  const post = await createClient({ tokenEndpointAuthMethod: 'client_secret_post' });
  // The only client allowed client_credentials; its credentials appear only in the client_credentials property.
  const cc = await createClient({ grantTypes: ['client_credentials'], scopes: ['api.read', 'api.write'], audience: 'https://api.example.com', redirectUris: [] });

  // A live session, with an access token and an id_token from it.
  const first = await signIn(web, user);
  const tokens = await (await ok(await exchange(web, first.code))).json<{ access_token: string; id_token: string }>();
  // A redeemed code (presenting it again revokes that redemption's tokens, which nothing else uses).
  const second = await signIn(web, user);
  await ok(await exchange(web, second.code));
  // A rotated (used) refresh token, and its live successor.
  const consent = await (await ok(await call(authorizeUrl(web, { scope: 'openid offline_access', prompt: 'consent' }), { headers: { Cookie: first.cookie } }))).text();
  const allowed = await form('/consent', { tx: hiddenTx(consent), decision: 'allow' }, { Cookie: first.cookie });
  const offlineCode = new URL(allowed.headers.get('Location')!).searchParams.get('code')!;
  const offline = await (await ok(await exchange(web, offlineCode))).json<{ refresh_token: string }>();
  const rotated = await (await ok(await refresh(web, offline.refresh_token))).json<{ refresh_token: string }>();

  // Device code A stays pending for ever (it is polled at /token); B is the one the verification pages may decide,
  // and its device_code is thrown away, so no decision can turn into tokens.
  const deviceA = await (await ok(await form('/device_authorization', { client_id: pub.clientId, scope: 'openid profile' }))).json<{ device_code: string; user_code: string }>();
  const deviceB = await (await ok(await form('/device_authorization', { client_id: pub.clientId, scope: 'openid' }))).json<{ user_code: string }>();
  const { verifier, challenge } = await pkcePair();

  w = {
    web, pub, post, cc, user, cookie: first.cookie,
    accessToken: tokens.access_token, idToken: tokens.id_token, usedCode: second.code,
    usedRefreshToken: offline.refresh_token, liveRefreshToken: rotated.refresh_token, verifier, challenge,
    pendingDeviceCode: deviceA.device_code, userCodeA: deviceA.user_code, userCodeB: deviceB.user_code,
    // Signed forms, each live: the login form, a consent form bound to the session, the device pages, the logout confirmation.
    loginTx: await pageTx(await call(authorizeUrl(web))),
    consentTx: await pageTx(await call(authorizeUrl(web, { prompt: 'consent' }), { headers: { Cookie: first.cookie } })),
    deviceLoginTx: await pageTx(await form('/device', { user_code: deviceB.user_code })),
    deviceDecisionTx: await pageTx(await form('/device', { user_code: deviceB.user_code }, { Cookie: first.cookie })),
    logoutTx: await pageTx(await call(`/logout?${new URLSearchParams({ client_id: web.clientId, post_logout_redirect_uri: POST_LOGOUT, state: 's' })}`, { headers: { Cookie: first.cookie } })),
    registered: new Set([web.redirectUri, pub.redirectUri, post.redirectUri, POST_LOGOUT]),
  };
});

// Throttling would soon refuse every request from the fixture clients and user, and the properties would stop
// reaching the code behind it; the counters are cleared every few requests. Throttling itself is tested in
// test/guards/ (login-throttle, client-request, user-code-throttle).
let sent = 0;
async function resetThrottle(): Promise<void> {
  await pruneRateLimitsStatement(env.DB, Number.MAX_SAFE_INTEGER).run();
  // Sign-in attempts are counted in Durable Objects, one per account: reset the fixture's accounts.
  for (const name of typeof w === 'undefined' ? [] : [w.user.username, 'nobody']) {
    await attemptCounter(env.THROTTLE, `login:account:${await digestToken(name.toLowerCase())}`).reset();
  }
}
async function maybeResetThrottle(): Promise<void> {
  if (sent++ % 4 === 0) await resetThrottle();
}
beforeEach(resetThrottle);

// ---------------------------------------------------------------------------------------------------
// Values: absent, empty, valid-looking, huge, control characters, lone surrogates, invalid UTF-8, markup.

type Value =
  | { kind: 'text'; text: string }
  /** Text followed by bytes that are not UTF-8: raw in bodies, or as %XX escapes. */
  | { kind: 'bytes'; text: string; bytes: number[]; percent: boolean }
  /** Sent verbatim, unescaped: malformed percent-encodings and separators. */
  | { kind: 'raw'; raw: string };

interface Field {
  name: string;
  value: Value;
}

const JUNK = [
  'null', 'undefined', '0', '-1', '1e309', 'NaN', 'true', '[]', '{}', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  'javascript:alert(1)', 'https://evil.example/cb', '//evil.example', '\\\\evil.example', 'data:text/html,<script>alert(1)</script>',
  '../../../etc/passwd', "' OR '1'='1", '%00', '${7*7}', '{{7*7}}',
];

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)), minLength: 1, maxLength: 24 })
  .map((s) => `${s}\x7f\u0085\u2028`);
const surrogates = fc.string({ unit: fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a', '\uD83D\uDE00', '\uFFFE', '\uFEFF'), minLength: 1, maxLength: 16 });
const huge = fc.tuple(fc.constantFrom('A', 'é', '%', '\u0000', '&', SCRIPT, IMG), fc.integer({ min: 1000, max: 20_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
const markup = fc.constantFrom(SCRIPT, IMG, `${SCRIPT}${IMG}`, `x${IMG}`);

function textValue(valid: readonly string[]): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: markup },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
    { weight: 1, arbitrary: controlChars },
    { weight: 1, arbitrary: surrogates },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: fc.constantFrom(...JUNK) },
  ];
  if (valid.length > 0) {
    options.push({ weight: 5, arbitrary: fc.constantFrom(...valid) });
    options.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom(...valid), markup).map(([v, m]) => v + m) });
    options.push({ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...valid), controlChars).map(([v, c]) => v + c) });
  }
  return fc.oneof(...options);
}

const rawPieces = fc.constantFrom('%', '%zz', '%FF', '%C3%28', '%ED%A0%80', '%E0%80', '%C0%AF', '%00', '%%', '&&', '=', '==', '+', '%3Cscript%3Ealert(1)%3C%2Fscript%3E');

function valueArb(valid: readonly string[]): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 12, arbitrary: textValue(valid).map((text): Value => ({ kind: 'text', text })) },
    {
      weight: 2,
      arbitrary: fc.record({ text: textValue(valid), bytes: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 8 }), percent: fc.boolean() })
        .map((v): Value => ({ kind: 'bytes', ...v })),
    },
    { weight: 1, arbitrary: rawPieces.map((raw): Value => ({ kind: 'raw', raw })) },
  );
}

const junkField = fc.record({
  name: fc.oneof(fc.constantFrom('', 'x', '__proto__', 'constructor', SCRIPT, 'a[b]', 'a.b', '%FF', '\u0000'), fc.string({ maxLength: 12 })),
  value: valueArb([]),
});

/** One parameter replaced: absent, another value, repeated, or as `name[]` twice. */
function mutationArb(name: string, valid: readonly string[]): fc.Arbitrary<Field[]> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Field[]>([]) },
    { weight: 10, arbitrary: valueArb(valid).map((value): Field[] => [{ name, value }]) },
    { weight: 2, arbitrary: fc.tuple(valueArb(valid), valueArb(valid)).map(([a, b]): Field[] => [{ name, value: a }, { name, value: b }]) },
    { weight: 2, arbitrary: fc.tuple(valueArb(valid), valueArb(valid)).map(([a, b]): Field[] => [{ name: `${name}[]`, value: a }, { name: `${name}[]`, value: b }]) },
  );
}

/**
 * A request's parameters: a valid-looking baseline with one or two parameters mutated (so the hostile value
 * reaches the check that reads it), none, or now and then any number; plus a few unknown parameters.
 */
function fieldsArb(params: Record<string, readonly string[]>, baseline: Record<string, string>): fc.Arbitrary<Field[]> {
  const names = [...new Set([...Object.keys(params), ...Object.keys(baseline)])];
  const keep = (name: string): Field[] => (baseline[name] === undefined ? [] : [{ name, value: { kind: 'text', text: baseline[name] } }]);
  return fc.tuple(
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<string[]>([]) },
      { weight: 6, arbitrary: fc.subarray(names, { minLength: 1, maxLength: Math.min(2, names.length) }) },
      { weight: 1, arbitrary: fc.subarray(names) },
    ),
    fc.tuple(...names.map((name) => mutationArb(name, [...(params[name] ?? []), ...(baseline[name] ? [baseline[name]] : [])]))),
    fc.array(junkField, { maxLength: 2 }),
  ).map(([mutated, mutations, junk]) => [...names.flatMap((name, i) => (mutated.includes(name) ? mutations[i]! : keep(name))), ...junk]);
}

// ---------------------------------------------------------------------------------------------------
// Encodings: query strings, form bodies (raw bytes allowed), JSON, multipart, text.

const encoder = new TextEncoder();

/** application/x-www-form-urlencoded serialisation of one string (lone surrogates become U+FFFD, as browsers send them). */
function formEncode(text: string): string {
  return new URLSearchParams([['', text]]).toString().slice(1);
}

function hex(bytes: number[]): string {
  return bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function queryString(fields: Field[]): string {
  return fields.map(({ name, value }) => {
    const key = formEncode(name);
    if (value.kind === 'raw') return `${key}=${value.raw}`;
    if (value.kind === 'bytes') return `${key}=${formEncode(value.text)}${hex(value.bytes)}`;
    return `${key}=${formEncode(value.text)}`;
  }).join('&');
}

function concat(parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function formBody(fields: Field[]): Uint8Array {
  const parts: (string | number[])[] = [];
  fields.forEach(({ name, value }, i) => {
    if (i > 0) parts.push('&');
    parts.push(`${formEncode(name)}=`);
    if (value.kind === 'raw') parts.push(value.raw);
    else if (value.kind === 'text') parts.push(formEncode(value.text));
    else parts.push(formEncode(value.text), value.percent ? hex(value.bytes) : value.bytes);
  });
  return concat(parts);
}

function plainText(value: Value): string {
  return value.kind === 'raw' ? value.raw : value.text;
}

/** JSON where a form is expected: an object (repeats become arrays), operator objects, or a bare array. */
function jsonBody(fields: Field[], shape: 'object' | 'nested' | 'array'): Uint8Array {
  if (shape === 'array') return encoder.encode(JSON.stringify(fields.map((f) => [f.name, plainText(f.value)])));
  const body: Record<string, unknown> = {};
  for (const { name, value } of fields) {
    const v = shape === 'nested' ? { $ne: null, value: plainText(value) } : plainText(value);
    body[name] = Object.hasOwn(body, name) ? [body[name], v].flat() : v;
  }
  const raw = fields.find((f) => f.value.kind === 'bytes')?.value;
  // Invalid UTF-8 inside the JSON text too, when a field carries raw bytes.
  return raw?.kind === 'bytes' ? concat([JSON.stringify(body).slice(0, -1), ',"b":"', raw.bytes, '"}']) : encoder.encode(JSON.stringify(body));
}

function multipartBody(fields: Field[]): Uint8Array {
  const parts: (string | number[])[] = [];
  for (const { name, value } of fields) {
    parts.push(`--XyZ\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '')}"\r\n\r\n`);
    if (value.kind === 'bytes') parts.push(value.text, value.bytes);
    else parts.push(plainText(value));
    parts.push('\r\n');
  }
  parts.push('--XyZ--\r\n');
  return concat(parts);
}

type BodyMode = 'form' | 'json' | 'json-nested' | 'json-array' | 'multipart' | 'text' | 'empty' | 'none';

function encodeBody(mode: BodyMode, fields: Field[]): Uint8Array | undefined {
  switch (mode) {
    case 'form': return formBody(fields);
    case 'json': return jsonBody(fields, 'object');
    case 'json-nested': return jsonBody(fields, 'nested');
    case 'json-array': return jsonBody(fields, 'array');
    case 'multipart': return multipartBody(fields);
    case 'text': return concat(fields.map((f) => `${f.name}: ${plainText(f.value)}\n`));
    case 'empty': return new Uint8Array(0);
    case 'none': return undefined;
  }
}

const FORM = 'application/x-www-form-urlencoded';
const bodyModeArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<BodyMode>('form') },
  { weight: 3, arbitrary: fc.constantFrom<BodyMode>('json', 'json-nested', 'json-array', 'multipart', 'text', 'empty', 'none') },
);
const contentTypeArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>(FORM) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | null>(
      null, `${FORM}; charset=UTF-8`, `${FORM}; charset=ISO-8859-1`, 'APPLICATION/X-WWW-FORM-URLENCODED', `${FORM}x`, ` ${FORM}`,
      `${FORM}, application/json`, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'text/html',
      'multipart/form-data; boundary=XyZ', 'multipart/form-data', 'application/xml', '*/*', '', SCRIPT, 'a'.repeat(4000),
    ),
  },
);

// ---------------------------------------------------------------------------------------------------
// Headers: malformed and hostile Authorization, Cookie, Origin and client metadata.

function hostileAuthorization(): fc.Arbitrary<string | null> {
  const b64 = (s: string) => btoa(s);
  return fc.constantFrom<string | null>(
    null, basic(w.web.clientId, 'wrong-secret'), basic(w.web.clientId, w.web.secret!), basic(w.post.clientId, w.post.secret!), basic(w.pub.clientId, ''),
    basic(w.web.clientId, `${w.web.secret!}${SCRIPT}`), basic(SCRIPT, IMG),
    'Basic', 'Basic ', 'Basic !!!!', 'Basic ====', 'Basic QQ', `Basic ${b64('no-colon')}`, `Basic ${b64(':')}`, `Basic ${b64('%E0%A4%A:x')}`,
    `Basic ${b64('\xff\xfe:\xc3\x28')}`, `basic ${b64(`${w.web.clientId}:x`)}`, `Basic ${'A'.repeat(12_000)}`,
    `Basic ${b64(`${w.web.clientId}:${w.web.secret!}`)} extra`, `Basic\t${b64('a:b')}`,
    'Bearer', 'Bearer ', 'Bearer junk', `Bearer ${w.accessToken}`, `Bearer ${w.accessToken}x`, `bearer   ${w.idToken}`, `Bearer ${SCRIPT}`,
    `Bearer ${'A'.repeat(16_000)}`, 'Bearer a b', 'Bearer ====', 'Digest username="x"', 'Negotiate YII=', `${SCRIPT} x`, ',',
  );
}

function hostileCookie(): fc.Arbitrary<string | null> {
  return fc.constantFrom<string | null>(
    null, w.cookie, `${w.cookie}x`, `${w.cookie}; ${w.cookie}`, '__Host-edge_oidc_session=junk', 'edge_oidc_session=a.b.c',
    `__Host-edge_oidc_session=${'A'.repeat(8000)}`, `__Host-edge_oidc_session=${encodeURIComponent(SCRIPT)}`, '=; ;=;',
  );
}

const originArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>(ISSUER) },
  { weight: 2, arbitrary: fc.constantFrom<string | null>(null, 'null', 'https://evil.example', `${ISSUER}.evil.example`, SCRIPT) },
);

const metaArb = fc.record({
  ip: fc.constantFrom<string | null>(null, null, '203.0.113.7', '::1', SCRIPT, 'x'.repeat(4000)),
  userAgent: fc.constantFrom<string | null>(null, 'fuzz/1.0', SCRIPT, 'U'.repeat(8000)),
});

// ---------------------------------------------------------------------------------------------------
// Requests, and the invariants every response must satisfy.

interface HostileRequest {
  method: string;
  path: string;
  query: Field[];
  body: Field[];
  bodyMode: BodyMode;
  contentType: string | null;
  authorization: string | null;
  cookie: string | null;
  origin: string | null;
  meta: { ip: string | null; userAgent: string | null };
}

function describeRequest(r: HostileRequest): string {
  const short = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…(${s.length})` : s);
  const fields = (fs: Field[]) => fs.map((f) => `${short(f.name)}=${short(JSON.stringify(plainText(f.value)))}${f.value.kind === 'bytes' ? `+${hex(f.value.bytes)}${f.value.percent ? '' : '(raw)'}` : ''}`).join(' & ');
  return `${r.method} ${r.path} query[${fields(r.query)}] body:${r.bodyMode}[${fields(r.body)}] content-type=${short(String(r.contentType))} ` +
    `authorization=${short(String(r.authorization))} cookie=${short(String(r.cookie))} origin=${String(r.origin)}`;
}

async function send(r: HostileRequest): Promise<Response> {
  await maybeResetThrottle();
  const headers = new Headers();
  if (r.contentType !== null) headers.set('Content-Type', r.contentType);
  if (r.authorization !== null) headers.set('Authorization', r.authorization);
  if (r.cookie !== null) headers.set('Cookie', r.cookie);
  if (r.origin !== null) headers.set('Origin', r.origin);
  if (r.meta.ip !== null) headers.set('CF-Connecting-IP', r.meta.ip);
  if (r.meta.userAgent !== null) headers.set('User-Agent', r.meta.userAgent);
  const query = queryString(r.query);
  const hasBody = r.method !== 'GET' && r.method !== 'HEAD';
  return call(`${ISSUER}${r.path}${query ? `?${query}` : ''}`, { method: r.method, headers, body: hasBody ? encodeBody(r.bodyMode, r.body) : undefined });
}

interface Outcome {
  status: number;
  body: string;
  /** `<status> <error code or page title>`, to show which checks the requests reached. */
  kind: string;
}

interface CheckOptions {
  tokensAllowed?: boolean;
}

/** The four invariants. Throws, naming the request, when one is broken. */
async function checkResponse(res: Response, label: string, opts: CheckOptions = {}): Promise<Outcome> {
  const body = await res.text();
  const location = res.headers.get('Location');
  const fail = (why: string): never => {
    throw new Error(`${why}\n  status ${res.status}, location ${location}\n  body ${body.slice(0, 400)}\n  request ${label}`);
  };
  if (res.status >= 500) fail('a 5xx');
  if (res.status >= 300 && res.status < 400) {
    if (location === null) fail('a redirect without Location');
    const target = new URL(location!, ISSUER);
    if (!w.registered.has(`${target.origin}${target.pathname}`)) fail('a redirect to an unregistered URI');
    if (TOKEN_IN_URL.test(location!)) fail('a token in the redirect URI');
  }
  if (MARKUP.some((p) => p.test(body))) fail('reflected markup');
  if (!opts.tokensAllowed && TOKEN_MEMBER.test(body)) fail('a token for a request that was not legitimate');
  const what = /"error":"([a-z_]+)"/.exec(body)?.[1] ?? /<title>([^<·]*)/.exec(body)?.[1]?.trim() ?? '';
  return { status: res.status, body, kind: `${res.status} ${what}`.trim() };
}

interface Baseline {
  params: Record<string, string>;
  authorization?: string | null;
  cookie?: string | null;
}

interface Endpoint {
  path: string;
  methods: readonly string[];
  /** Other valid-looking values for each parameter (the baselines' own values are added). */
  params: Record<string, readonly string[]>;
  baselines: Baseline[];
}

const CLEAN_META = { ip: null, userAgent: null };

/** A baseline as a well-formed request: what a real client or browser would send. */
function cleanRequest(ep: Endpoint, b: Baseline, method: string): HostileRequest {
  const fields = Object.entries(b.params).map(([name, text]): Field => ({ name, value: { kind: 'text', text } }));
  const isGet = method === 'GET' || method === 'HEAD';
  return {
    method, path: ep.path, query: isGet ? fields : [], body: isGet ? [] : fields, bodyMode: 'form', contentType: FORM,
    authorization: b.authorization ?? null, cookie: b.cookie ?? null, origin: ISSUER, meta: CLEAN_META,
  };
}

function requestArb(ep: Endpoint): fc.Arbitrary<HostileRequest> {
  return fc.constantFrom(...ep.baselines).chain((b) => {
    const fields = fieldsArb(ep.params, b.params);
    const hostile = fc.record({
      method: fc.constantFrom(...ep.methods),
      fields,
      queryJunk: fc.oneof({ weight: 3, arbitrary: fc.constant<Field[]>([]) }, { weight: 1, arbitrary: fields }),
      bodyMode: bodyModeArb,
      contentType: contentTypeArb,
      authorization: fc.oneof({ weight: 7, arbitrary: fc.constant(b.authorization ?? null) }, { weight: 3, arbitrary: hostileAuthorization() }),
      cookie: fc.oneof({ weight: 7, arbitrary: fc.constant(b.cookie ?? null) }, { weight: 3, arbitrary: hostileCookie() }),
      origin: originArb,
      meta: metaArb,
    }).map(({ method, fields: f, queryJunk, ...rest }): HostileRequest => {
      const isGet = method === 'GET' || method === 'HEAD';
      // GET carries the parameters in the query; POST in the body, and sometimes in the query too (to be ignored).
      return { ...rest, method, path: ep.path, query: isGet ? f : queryJunk, body: isGet ? [] : f };
    });
    // Half the time only the parameters are hostile, so they get past the body and header checks.
    const cleanEnvelope = fc.tuple(fc.constantFrom(...ep.methods), fields).map(([method, f]): HostileRequest => ({
      ...cleanRequest(ep, b, method), ...(method === 'GET' || method === 'HEAD' ? { query: f } : { body: f }),
    }));
    return fc.oneof(hostile, cleanEnvelope);
  });
}

/** Throws `runs` requests at an endpoint; returns how often each kind of answer came back. */
async function hammer(ep: Endpoint, runs = RUNS): Promise<Map<string, number>> {
  const kinds = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(requestArb(ep), async (r) => {
      const { kind } = await checkResponse(await send(r), describeRequest(r));
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }),
    // The baselines themselves first, well-formed: the answers they reach are then certain, not likely.
    { numRuns: runs, examples: ep.baselines.flatMap((b) => [...new Set(ep.methods)].map((m): [HostileRequest] => [cleanRequest(ep, b, m)])) },
  );
  return kinds;
}

/** Whether any answer of the given kinds came back: proof the requests got as far as the check that gives it. */
function reached(kinds: Map<string, number>, ...wanted: string[]): string[] {
  return wanted.filter((k) => [...kinds.keys()].some((seen) => seen === k || seen.startsWith(`${k} `)));
}

// ---------------------------------------------------------------------------------------------------
// The endpoints of src/index.ts, their parameters and valid-looking baselines from the fixtures.

const SCOPES = ['openid', 'openid profile email', 'openid offline_access', 'profile', 'openid api.read', 'api.read api.write'];
const clientIds = () => [w.web.clientId, w.pub.clientId, w.post.clientId, 'no-such-client'];

function authorizeEndpoint(): Endpoint {
  const request = { response_type: 'code', scope: 'openid profile email', state: 'st-1', nonce: 'n-1' };
  const web = { ...request, client_id: w.web.clientId, redirect_uri: w.web.redirectUri };
  const pub = { ...request, client_id: w.pub.clientId, redirect_uri: w.pub.redirectUri, code_challenge: w.challenge, code_challenge_method: 'S256' };
  return {
    path: '/authorize',
    methods: ['GET', 'POST'],
    baselines: [{ params: web }, { params: web, cookie: w.cookie }, { params: pub }, { params: pub, cookie: w.cookie }],
    params: {
      client_id: clientIds(),
      redirect_uri: [w.web.redirectUri, w.pub.redirectUri, `${w.web.redirectUri}/x`, `${w.web.redirectUri}?a=1`, `${w.web.redirectUri}#f`, 'https://evil.example/cb', POST_LOGOUT],
      response_type: ['code', 'token', 'id_token', 'code id_token', 'none'],
      scope: SCOPES,
      state: ['st-1'],
      nonce: ['n-1'],
      code_challenge: [w.challenge, 'short'],
      code_challenge_method: ['S256', 'plain'],
      prompt: ['none', 'login', 'consent', 'select_account', 'none login', 'create'],
      max_age: ['0', '60', '-1', '1e309', '9999999999999999999', '1.5'],
      id_token_hint: [w.idToken, 'a.b.c'],
      login_hint: [w.user.username],
      claims: ['{"id_token":{"email":null}}', '{"userinfo":{"email":{"essential":true}}}', '{', '[]', 'null', '{"id_token":{"__proto__":{"x":1}}}', '{"id_token":[]}'],
      request: ['eyJhbGciOiJub25lIn0.e30.'],
      request_uri: ['urn:ietf:params:oauth:request_uri:x', 'https://evil.example/request'],
      response_mode: ['query', 'fragment', 'form_post'],
      registration: ['{}'],
      ui_locales: ['en', 'de-CH fr', '*', '__proto__ constructor', 'de;q=1', `${'x-'.repeat(900)}de`],
      display: ['page'],
      acr_values: ['0'],
    },
  };
}

function tokenEndpoint(): Endpoint {
  const auth = basic(w.web.clientId, w.web.secret!);
  return {
    path: '/token',
    methods: ['POST'],
    // None can succeed: the code and the refresh token are used, device code A is never approved, and no
    // client here may use client_credentials.
    baselines: [
      { params: { grant_type: 'authorization_code', code: w.usedCode, redirect_uri: w.web.redirectUri, code_verifier: w.verifier }, authorization: auth },
      { params: { grant_type: 'authorization_code', code: randomToken(32), redirect_uri: w.post.redirectUri, client_id: w.post.clientId, client_secret: w.post.secret! } },
      { params: { grant_type: 'authorization_code', code: w.usedCode, redirect_uri: w.pub.redirectUri, client_id: w.pub.clientId, code_verifier: w.verifier } },
      { params: { grant_type: 'refresh_token', refresh_token: w.usedRefreshToken, scope: 'openid' }, authorization: auth },
      { params: { grant_type: 'client_credentials', scope: 'profile' }, authorization: auth },
      { params: { grant_type: DEVICE_CODE_GRANT, device_code: w.pendingDeviceCode, client_id: w.pub.clientId } },
      { params: { grant_type: 'password', username: w.user.username, password: w.user.password }, authorization: auth },
    ],
    params: {
      grant_type: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT, 'password', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer', '__proto__', 'constructor', 'toString'],
      code: [w.usedCode, randomToken(32)],
      redirect_uri: [w.web.redirectUri, w.pub.redirectUri],
      code_verifier: [w.verifier],
      refresh_token: [w.usedRefreshToken, randomToken(32)],
      device_code: [w.pendingDeviceCode, randomToken(32)],
      scope: SCOPES,
      client_id: clientIds(),
      client_secret: [w.post.secret!, w.web.secret!, 'wrong'],
      client_assertion: ['a.b.c'],
      client_assertion_type: ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
    },
  };
}

/** /introspect and /revoke take the same parameters. */
function tokenHintEndpoint(path: string): Endpoint {
  return {
    path,
    methods: ['POST'],
    baselines: [
      { params: { token: w.accessToken, token_type_hint: 'access_token' }, authorization: basic(w.web.clientId, w.web.secret!) },
      { params: { token: w.liveRefreshToken, client_id: w.post.clientId, client_secret: w.post.secret! } },
      { params: { token: w.usedRefreshToken, token_type_hint: 'refresh_token', client_id: w.pub.clientId } },
    ],
    params: {
      token: [w.accessToken, w.liveRefreshToken, w.usedRefreshToken, w.idToken, w.usedCode],
      token_type_hint: ['access_token', 'refresh_token', 'id_token'],
      client_id: clientIds(),
      client_secret: [w.post.secret!, 'wrong'],
    },
  };
}

function loginEndpoint(path: '/login' | '/device/login', tx: string): Endpoint {
  return {
    path,
    methods: ['POST'],
    baselines: [
      { params: { tx, username: w.user.username, password: w.user.password } },
      { params: { tx, username: w.user.username, password: 'wrong-password' } },
    ],
    params: { tx: [w.loginTx, w.consentTx, w.deviceLoginTx, w.deviceDecisionTx, `${tx}x`], username: [w.user.username, w.user.username.toUpperCase(), 'nobody'], password: [w.user.password, 'wrong'] },
  };
}

const noParams: Endpoint['params'] = { x: ['1'] };

// ---------------------------------------------------------------------------------------------------

describe('the hostile-input harness itself', () => {
  it('detects a 5xx, a token, reflected markup and an unregistered redirect (so the properties can fail)', async () => {
    const legit = await form('/token', { grant_type: 'client_credentials' }, { Authorization: basic(w.cc.clientId, w.cc.secret!) });
    expect(legit.status).toBe(200);
    await expect(checkResponse(legit, 'legit client_credentials')).rejects.toThrow(/a token/);
    await expect(checkResponse(new Response(`<p>${SCRIPT}</p>`), 'synthetic')).rejects.toThrow(/reflected markup/);
    await expect(checkResponse(new Response(`{"e":"${IMG}"}`), 'synthetic')).rejects.toThrow(/reflected markup/);
    await expect(checkResponse(new Response(null, { status: 302, headers: { Location: 'https://evil.example/cb' } }), 'synthetic')).rejects.toThrow(/unregistered/);
    await expect(checkResponse(new Response(null, { status: 302, headers: { Location: `${w.web.redirectUri}/x` } }), 'synthetic')).rejects.toThrow(/unregistered/);
    await expect(checkResponse(new Response(null, { status: 302, headers: { Location: `${w.web.redirectUri}#access_token=x` } }), 'synthetic')).rejects.toThrow(/token in the redirect/);
    await expect(checkResponse(new Response('oops', { status: 503 }), 'synthetic')).rejects.toThrow(/5xx/);
    const fine = await checkResponse(new Response(null, { status: 302, headers: { Location: `${w.web.redirectUri}?code=x&state=${encodeURIComponent(SCRIPT)}` } }), 'synthetic');
    expect(fine.status).toBe(302);
  });
});

describe('hostile input at every endpoint (fast-check)', { timeout: TIMEOUT_MS }, () => {
  it('discovery, JWKS and the static assets', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/.well-known/jwks.json', '/assets/style.css', '/assets/icon.svg']) {
      const kinds = await hammer({ path, methods: ['GET', 'GET', 'POST', 'HEAD', 'OPTIONS'], params: noParams, baselines: [{ params: {} }] }, 30);
      expect(reached(kinds, '200')).toEqual(['200']);
    }
  });

  it('unknown paths and methods', async () => {
    const paths = [
      '/', '/authorize/x', '/.well-known/x', '/%FF', '/%C3%28', `/${encodeURIComponent(SCRIPT)}`, '/token/../userinfo', '//evil.example', '/assets/../../etc/passwd',
      '/dev/callback', '/device/x', '/logout/x', '/login/', '/TOKEN', '/favicon.ico', '/assets/x.css', `/${'a'.repeat(8000)}`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fieldsArb({ code: [], state: [] }, {}), async (path, method, fields) => {
        const r: HostileRequest = { method, path, query: fields, body: fields, bodyMode: 'form', contentType: FORM, authorization: null, cookie: null, origin: ISSUER, meta: { ip: null, userAgent: null } };
        await checkResponse(await send(r), describeRequest(r));
      }),
      { numRuns: RUNS },
    );
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/authorize', '/token', '/userinfo', '/logout', '/device']) {
        const r: HostileRequest = { method, path, query: [], body: [], bodyMode: 'form', contentType: FORM, authorization: null, cookie: null, origin: ISSUER, meta: { ip: null, userAgent: null } };
        expect((await checkResponse(await send(r), describeRequest(r))).status).toBe(404);
      }
    }
  });

  it('GET and POST /authorize', async () => {
    const kinds = await hammer(authorizeEndpoint(), 120);
    // Error pages before the redirect URI is trusted, the login form, and redirects (codes and errors) after.
    expect(reached(kinds, '400 Invalid request', '200 Sign in', '302')).toHaveLength(3);
  });

  it('POST /login', async () => {
    const kinds = await hammer(loginEndpoint('/login', w.loginTx), LOGIN_RUNS);
    expect(reached(kinds, '400 Sign-in expired', '200 Sign in', '303')).toHaveLength(3);
  });

  it('POST /consent', async () => {
    const kinds = await hammer({
      path: '/consent', methods: ['POST'],
      baselines: [{ params: { tx: w.consentTx, decision: 'allow' }, cookie: w.cookie }, { params: { tx: w.consentTx, decision: 'deny' }, cookie: w.cookie }],
      params: { tx: [w.consentTx, w.loginTx, `${w.consentTx}x`], decision: ['allow', 'deny', 'ALLOW'] },
    });
    expect(reached(kinds, '400 Request expired', '303')).toHaveLength(2);
  });

  it('GET and POST /userinfo', async () => {
    const kinds = await hammer({
      path: '/userinfo', methods: ['GET', 'POST'],
      baselines: [{ params: {}, authorization: `Bearer ${w.accessToken}` }, { params: { access_token: w.accessToken } }],
      params: { access_token: [w.accessToken, 'junk'] },
    });
    expect(reached(kinds, '200', '401 invalid_token', '400 invalid_request')).toHaveLength(3);
  });

  it('POST /introspect', async () => {
    const kinds = await hammer(tokenHintEndpoint('/introspect'));
    expect(reached(kinds, '200', '401 invalid_client', '400 invalid_request')).toHaveLength(3);
  });

  it('POST /token: every grant type and garbage; never a token', async () => {
    const kinds = await hammer(tokenEndpoint(), 120);
    // Past client authentication into the grants: invalid_grant, authorization_pending or slow_down, unsupported_grant_type.
    expect(reached(kinds, '400 invalid_grant', '400 unsupported_grant_type', '400 unauthorized_client', '401 invalid_client')).toHaveLength(4);
    expect(reached(kinds, '400 authorization_pending', '400 slow_down').length).toBeGreaterThan(0);
  });

  it('POST /device_authorization', async () => {
    const kinds = await hammer({
      path: '/device_authorization', methods: ['POST'],
      baselines: [{ params: { client_id: w.pub.clientId, scope: 'openid profile offline_access' } }, { params: { scope: 'openid' }, authorization: basic(w.web.clientId, w.web.secret!) }],
      params: { client_id: clientIds(), scope: SCOPES, client_secret: [w.post.secret!] },
    });
    expect(reached(kinds, '200', '400 unauthorized_client')).toHaveLength(2);
  });

  it('GET and POST /device', async () => {
    const kinds = await hammer({
      path: '/device', methods: ['GET', 'POST'],
      baselines: [{ params: { user_code: w.userCodeA } }, { params: { user_code: w.userCodeB }, cookie: w.cookie }],
      params: { user_code: [w.userCodeA, w.userCodeB, w.userCodeB.toLowerCase(), w.userCodeA.replace('-', ''), 'BCDF-GHJK'] },
    });
    expect(reached(kinds, '200 Connect a device', '200 Sign in', '200 Allow device', '400 Connect a device')).toHaveLength(4);
  });

  it('POST /device/login', async () => {
    const kinds = await hammer(loginEndpoint('/device/login', w.deviceLoginTx), LOGIN_RUNS);
    expect(reached(kinds, '400 Code expired', '200 Sign in', '200 Allow device')).toHaveLength(3);
  });

  it('POST /device/decision', async () => {
    const kinds = await hammer({
      path: '/device/decision', methods: ['POST'],
      baselines: [{ params: { tx: w.deviceDecisionTx, decision: 'deny' }, cookie: w.cookie }, { params: { tx: w.deviceDecisionTx, decision: 'allow' }, cookie: w.cookie }],
      params: { tx: [w.deviceDecisionTx, w.deviceLoginTx, `${w.deviceDecisionTx}x`], decision: ['allow', 'deny'] },
    });
    expect(reached(kinds, '400 Request expired', '400 Code expired')).toHaveLength(2);
  });

  it('POST /revoke', async () => {
    const kinds = await hammer(tokenHintEndpoint('/revoke'));
    expect(reached(kinds, '200', '401 invalid_client', '400 invalid_request')).toHaveLength(3);
  });

  // Last: these end the shared session.
  it('GET and POST /logout', async () => {
    const kinds = await hammer({
      path: '/logout', methods: ['GET', 'POST'],
      baselines: [
        { params: { client_id: w.web.clientId, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' }, cookie: w.cookie },
        { params: { id_token_hint: w.idToken, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' }, cookie: w.cookie },
        { params: { id_token_hint: w.idToken, post_logout_redirect_uri: POST_LOGOUT } },
      ],
      params: {
        id_token_hint: [w.idToken, `${w.idToken}x`],
        client_id: [w.web.clientId, w.pub.clientId, 'no-such-client'],
        post_logout_redirect_uri: [POST_LOGOUT, w.web.redirectUri, 'https://evil.example/', `${POST_LOGOUT}/x`, `${POST_LOGOUT}?a=1`],
        state: ['bye'],
        logout_hint: [w.user.username],
        ui_locales: ['en', 'de', '__proto__', 'de-'],
      },
    });
    expect(reached(kinds, '302', '400 Invalid logout request')).toHaveLength(2);
  });

  it('POST /logout/confirm', async () => {
    const kinds = await hammer({
      path: '/logout/confirm', methods: ['POST'],
      baselines: [{ params: { tx: w.logoutTx, decision: 'logout' }, cookie: w.cookie }, { params: { tx: w.logoutTx, decision: 'stay' } }],
      params: { tx: [w.logoutTx, w.loginTx, `${w.logoutTx}x`], decision: ['logout', 'stay'] },
    });
    expect(reached(kinds, '303', '400 Request expired')).toHaveLength(2);
  });
});

describe('client_credentials: a legitimately authenticated client with hostile parameters', { timeout: TIMEOUT_MS }, () => {
  it('issues only an access token, only for a well-formed request, only within the registered scopes', async () => {
    const allowedScopes = new Set(['api.read', 'api.write']);
    const params = { grant_type: ['client_credentials'], scope: ['api.read', 'api.write', 'api.read api.write', 'openid', 'offline_access', 'api.admin'] };
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(fieldsArb(params, { grant_type: 'client_credentials', scope: 'api.read' }), contentTypeArb, bodyModeArb, async (fields, contentType, bodyMode) => {
        const r: HostileRequest = {
          method: 'POST', path: '/token', query: [], body: fields, bodyMode, contentType,
          authorization: basic(w.cc.clientId, w.cc.secret!), cookie: null, origin: null, meta: { ip: null, userAgent: null },
        };
        const grants = fields.filter((f) => f.name === 'grant_type');
        // A legitimate request: a form body (Fetch trims the header), grant_type=client_credentials once, at most one scope.
        const legitimate = bodyMode === 'form' && /^application\/x-www-form-urlencoded\s*(;|$)/i.test((contentType ?? '').trim()) &&
          grants.length === 1 && grants[0]!.value.kind === 'text' && grants[0]!.value.text === 'client_credentials' &&
          fields.filter((f) => f.name === 'scope').length <= 1;
        const { status, body } = await checkResponse(await send(r), describeRequest(r), { tokensAllowed: legitimate });
        if (!TOKEN_MEMBER.test(body)) return;
        issued++;
        expect(status).toBe(200);
        const json = JSON.parse(body) as Record<string, unknown>;
        expect(Object.keys(json)).not.toContain('refresh_token');
        expect(Object.keys(json)).not.toContain('id_token');
        for (const s of String(json.scope).split(' ').filter(Boolean)) expect(allowedScopes.has(s)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(issued).toBeGreaterThan(0);
  });
});

describe('request values quoted in JSON errors are escaped', () => {
  it('/token quotes a hostile grant_type or scope as \\u003c..., never raw markup, and the JSON still decodes to the text', async () => {
    const cases: [Record<string, string>, TestClient][] = [[{ grant_type: SCRIPT }, w.web], [{ grant_type: 'client_credentials', scope: SCRIPT }, w.cc]];
    for (const [body, client] of cases) {
      const res = await formAs(client, '/token', body);
      const text = await res.text();
      expect(res.status).toBe(400);
      expect(text).not.toContain('<script');
      expect(text).toContain('\\u003cscript\\u003e');
      expect((JSON.parse(text) as { error_description: string }).error_description).toContain(SCRIPT);
    }
  });
});
