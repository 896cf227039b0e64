// The relying party and browser the bench plays: builds each request, sends it, and checks the answer.
import { createHash } from 'node:crypto';
import type { BenchFixture } from './server.ts';

/** One HTTP request, as data: sent with fetch under load, or replayed inside the isolate by /__bench/loop. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

const CODE_VERIFIER = 'bench-code-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
const CODE_CHALLENGE = createHash('sha256').update(CODE_VERIFIER).digest('base64url');
const FORM = 'application/x-www-form-urlencoded';

export class BenchError extends Error {}

function htmlAttribute(html: string, name: string): string | null {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  return match ? match[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"') : null;
}

/** What a page says, for an error message: its text without the head and tags (a second-factor page, say). */
function pageText(html: string): string {
  return html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
}

export class RelyingParty {
  readonly issuer: string;
  readonly fixture: BenchFixture;
  private readonly basic: string;

  constructor(issuer: string, fixture: BenchFixture) {
    this.issuer = issuer;
    this.fixture = fixture;
    const { clientId, secret } = fixture.client;
    this.basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }

  /** `client`: another client than the fixture's registered one (a metadata-document client, say). */
  authorizeSpec(
    state: string,
    options: { cookie?: string; scope?: string; prompt?: string; client?: { clientId: string; redirectUri: string } } = {},
  ): RequestSpec {
    const client = options.client ?? this.fixture.client;
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: options.scope ?? 'openid profile email',
      state,
      nonce: `n-${state}`,
      code_challenge: CODE_CHALLENGE,
      code_challenge_method: 'S256',
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    return { method: 'GET', url: `${this.issuer}/authorize?${params}`, headers: options.cookie ? { Cookie: options.cookie } : {} };
  }

  loginSpec(tx: string, username: string): RequestSpec {
    return {
      method: 'POST',
      url: `${this.issuer}/login`,
      headers: { 'Content-Type': FORM, Origin: this.issuer },
      body: new URLSearchParams({ tx, username, password: this.fixture.password }).toString(),
    };
  }

  consentSpec(tx: string, cookie: string): RequestSpec {
    return {
      method: 'POST',
      url: `${this.issuer}/consent`,
      headers: { 'Content-Type': FORM, Origin: this.issuer, Cookie: cookie },
      body: new URLSearchParams({ tx, decision: 'allow' }).toString(),
    };
  }

  tokenSpec(code: string): RequestSpec {
    return {
      method: 'POST',
      url: `${this.issuer}/token`,
      headers: { 'Content-Type': FORM, Authorization: this.basic },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, redirect_uri: this.fixture.client.redirectUri, code_verifier: CODE_VERIFIER,
      }).toString(),
    };
  }

  refreshSpec(refreshToken: string): RequestSpec {
    return {
      method: 'POST',
      url: `${this.issuer}/token`,
      headers: { 'Content-Type': FORM, Authorization: this.basic },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    };
  }

  userinfoSpec(accessToken: string): RequestSpec {
    return { method: 'GET', url: `${this.issuer}/userinfo`, headers: { Authorization: `Bearer ${accessToken}` } };
  }

  getSpec(path: string): RequestSpec {
    return { method: 'GET', url: `${this.issuer}${path}`, headers: {} };
  }

  async send(spec: RequestSpec, extraHeaders: Record<string, string> = {}): Promise<Response> {
    return fetch(spec.url, {
      method: spec.method,
      headers: { ...spec.headers, ...extraHeaders },
      body: spec.body ?? null,
      redirect: 'manual',
    });
  }

  // The checks: each endpoint's expected answer; anything else means the benchmark is broken.

  async expectLoginForm(res: Response): Promise<string> {
    const html = await res.text();
    const tx = res.status === 200 ? htmlAttribute(html, 'tx') : null;
    if (!tx || !html.includes('action="/login"')) throw new BenchError(`expected the login form, got ${res.status}: ${html.slice(0, 200)}`);
    return tx;
  }

  async expectConsentForm(res: Response): Promise<string> {
    const html = await res.text();
    const tx = res.status === 200 ? htmlAttribute(html, 'tx') : null;
    if (!tx || !html.includes('action="/consent"')) throw new BenchError(`expected the consent form, got ${res.status}: ${html.slice(0, 200)}`);
    return tx;
  }

  async expectCode(res: Response, status: 302 | 303): Promise<string> {
    const body = await res.text();
    const location = res.headers.get('Location');
    const code = location && res.status === status ? new URL(location).searchParams.get('code') : null;
    if (!code) throw new BenchError(`expected a ${status} redirect with a code, got ${res.status} ${location ?? ''}: ${pageText(body)}`);
    return code;
  }

  sessionCookie(res: Response): string {
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /session/.test(c));
    if (!cookie) throw new BenchError('the login response set no session cookie');
    return cookie;
  }

  async expectTokens(res: Response): Promise<TokenResponse> {
    const text = await res.text();
    if (res.status !== 200) throw new BenchError(`expected tokens, got ${res.status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as TokenResponse;
    if (!body.access_token) throw new BenchError(`token response without access_token: ${text.slice(0, 200)}`);
    return body;
  }

  async expectStatus(res: Response, status: number, what: string): Promise<void> {
    const text = await res.text();
    if (res.status !== status) throw new BenchError(`${what}: expected ${status}, got ${res.status}: ${text.slice(0, 200)}`);
  }

  // Whole steps, for setting up state before a measurement.

  async loginForm(): Promise<string> {
    return this.expectLoginForm(await this.send(this.authorizeSpec('setup'), { 'x-bench-label': 'setup' }));
  }

  async signIn(username: string): Promise<{ code: string; cookie: string }> {
    const tx = await this.loginForm();
    const res = await this.send(this.loginSpec(tx, username), { 'x-bench-label': 'setup' });
    const cookie = this.sessionCookie(res);
    return { code: await this.expectCode(res, 303), cookie };
  }

  async ssoCode(cookie: string, state = 'setup'): Promise<string> {
    return this.expectCode(await this.send(this.authorizeSpec(state, { cookie }), { 'x-bench-label': 'setup' }), 302);
  }

  async exchange(code: string): Promise<TokenResponse> {
    return this.expectTokens(await this.send(this.tokenSpec(code), { 'x-bench-label': 'setup' }));
  }

  /** OIDC Core §11: offline_access with prompt=consent, then the consent form, then the code exchange. */
  async obtainRefreshToken(cookie: string): Promise<string | null> {
    const page = await this.send(this.authorizeSpec('setup', { cookie, scope: 'openid offline_access', prompt: 'consent' }), { 'x-bench-label': 'setup' });
    const tx = await this.expectConsentForm(page);
    const code = await this.expectCode(await this.send(this.consentSpec(tx, cookie), { 'x-bench-label': 'setup' }), 303);
    return (await this.exchange(code)).refresh_token ?? null;
  }
}
