// A TEST DOUBLE OF A THIRD PARTY: GitHub's documented OAuth app endpoints and REST user API, on a local port, since the
// network is not reachable. It signs in one fixed user at once (no consent page) and checks what GitHub checks.
// Docs: "Authorizing OAuth apps" (/login/oauth/authorize, /login/oauth/access_token), REST "Get the authenticated
// user" (/user) and "List email addresses for the authenticated user" (/user/emails); GitHub Enterprise Server serves
// the REST API under /api/v3, which is how edge-oidc reaches a GitHub whose --issuer is not https://github.com.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { freePort } from '../../../scripts/lib/net.ts';

export interface GithubDouble {
  origin: string;
  user: { id: number; login: string; name: string; email: string | null; avatar_url: string };
  emails: { email: string; primary: boolean; verified: boolean; visibility: string | null }[];
  stop(): Promise<void>;
}

export async function startGithubDouble(clientId: string, clientSecret: string): Promise<GithubDouble> {
  const port = await freePort();
  const codes = new Map<string, { redirectUri: string; challenge: string | null }>();
  const double: GithubDouble = {
    origin: `http://127.0.0.1:${port}`,
    user: { id: 583231, login: 'octocat', name: 'The Octocat', email: null, avatar_url: 'https://avatars.example/u/583231' },
    emails: [{ email: 'octocat@github.example', primary: true, verified: true, visibility: 'private' }],
    stop: () => new Promise((r) => server.close(() => r())),
  };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', double.origin);
    if (url.pathname === '/login/oauth/authorize') {
      if (url.searchParams.get('client_id') !== clientId) return json(res, 404, { message: 'Not Found' });
      const code = `code-${Math.random().toString(36).slice(2)}`;
      codes.set(code, { redirectUri: url.searchParams.get('redirect_uri') ?? '', challenge: url.searchParams.get('code_challenge') });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { Location: back.href }).end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const pkceOk = !grant?.challenge || createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
        // GitHub answers errors with 200 and an error body (documented under "Troubleshooting authorization request errors").
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return json(res, 200, { error: 'incorrect_client_credentials' });
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || !pkceOk) return json(res, 200, { error: 'bad_verification_code' });
        json(res, 200, { access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a', token_type: 'bearer', scope: 'read:user,user:email' });
      });
      return;
    }
    const authorized = req.headers.authorization === 'Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a';
    if (url.pathname === '/api/v3/user') return authorized ? json(res, 200, double.user) : json(res, 401, { message: 'Requires authentication' });
    if (url.pathname === '/api/v3/user/emails') return authorized ? json(res, 200, double.emails) : json(res, 401, { message: 'Requires authentication' });
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return double;
}
