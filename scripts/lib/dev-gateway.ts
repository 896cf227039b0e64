// npm run dev's second Worker: the gateway example (examples/gateway), registered as the demo client's app.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { D1Like } from '../../src/store/db.ts';
import type { Actor } from './admin-audit.ts';
import { changeClient, showClient } from './admin-clients.ts';

/** Found beside this script, so the dev script works from any copy of the project's config. */
export const GATEWAY_CONFIG = resolve(import.meta.dirname, '../../examples/gateway/wrangler.toml');
const DEFAULT_PROVIDER_PORT = 8787;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface Gateway {
  /** Where the browser opens the demo; also the API identifier (the access tokens' `aud`). */
  origin: string;
  port: number;
}

/** The gateway listens one port above the provider, on the issuer's loopback host (cookies are per host). */
export function resolveGateway(issuer: string, providerPort: string | undefined): Gateway {
  const port = Number(providerPort ?? DEFAULT_PROVIDER_PORT) + 1;
  const issuerHost = new URL(issuer).hostname;
  const host = LOOPBACK_HOSTS.has(issuerHost) ? issuerHost : 'localhost';
  return { origin: `http://${host}:${port}`, port };
}

/**
 * Makes the demo client the gateway's registration: its /callback as a redirect URI and its / as a
 * post-logout URI (added beside any others), and its origin as the access tokens' audience.
 * Returns what changed, for the banner.
 */
export async function registerGateway(db: D1Like, actor: Actor, clientId: string, gateway: Gateway): Promise<string[]> {
  const client = await showClient(db, clientId);
  const callback = `${gateway.origin}/callback`;
  const home = `${gateway.origin}/`;
  const changes: string[] = [];
  const update: Parameters<typeof changeClient>[3] = {};
  if (!client.redirectUris.includes(callback)) {
    update.redirectUris = [...client.redirectUris, callback];
    changes.push(`added ${callback} to the demo client`);
  }
  if (!client.postLogoutRedirectUris.includes(home)) {
    update.postLogoutRedirectUris = [...client.postLogoutRedirectUris, home];
    changes.push(`added post-logout URI ${home} to the demo client`);
  }
  if (client.audience !== gateway.origin) {
    update.audience = gateway.origin;
    changes.push(`set the demo client's access token audience to ${gateway.origin}`);
  }
  if (!client.firstParty) {
    update.firstParty = true;
    changes.push('made the demo client first-party (the gateway is this service\'s own app)');
  }
  if (Object.keys(update).length > 0) await changeClient(db, actor, clientId, update);
  return changes;
}

/**
 * The gateway's secrets for wrangler dev --env-file, beside the local state (never in the repo): the demo
 * client's current secret, and a cookie key kept across runs so restarts do not sign the browser out.
 */
export function writeGatewaySecrets(persistDir: string, clientSecret: string): string {
  const path = join(persistDir, 'gateway.env');
  const previous = existsSync(path) ? /^SESSION_SECRET='([A-Za-z0-9_-]{43})'$/m.exec(readFileSync(path, 'utf8'))?.[1] : undefined;
  const sessionSecret = previous ?? randomBytes(32).toString('base64url');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `CLIENT_SECRET='${clientSecret}'\nSESSION_SECRET='${sessionSecret}'\n`, { mode: 0o600 });
  return path;
}

/** The provider's forwarded `--ip` argument(s), which the examples beside it take too, so all bind the same interface. */
export function forwardedIp(forwarded: string[]): string[] {
  const i = forwarded.findIndex((a) => a === '--ip' || a.startsWith('--ip='));
  return i < 0 ? [] : forwarded[i]!.startsWith('--ip=') ? [forwarded[i]!] : forwarded.slice(i, i + 2);
}

/** `wrangler dev` arguments for the gateway; `--ip` follows the provider's, so both bind the same interface. */
export function gatewayDevArgs(o: {
  gateway: Gateway; issuer: string; clientId: string; persistDir: string; secretsFile: string; forwarded: string[]; inspectorPort: number;
}): string[] {
  return [
    '--config', GATEWAY_CONFIG, '--port', String(o.gateway.port), ...forwardedIp(o.forwarded),
    '--persist-to', join(o.persistDir, 'gateway'), '--env-file', o.secretsFile,
    '--var', `ISSUER:${o.issuer}`, `CLIENT_ID:${o.clientId}`, `GATEWAY_ORIGIN:${o.gateway.origin}`,
    // One interactive session per terminal: the provider's.
    '--show-interactive-dev-session=false', '--log-level', 'warn', '--inspector-port', String(o.inspectorPort),
  ];
}

/** Resolves once `url` answers (any status below 500), or gives up after `timeoutMs`. */
export async function waitUntilServing(url: string, timeoutMs: number, stillRunning: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillRunning()) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      await res.body?.cancel();
      if (res.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
