// npm run dev's demo upstream: a second edge-oidc on 127.0.0.1 with its own state and secrets, registered here as the
// provider "upstream", so the sign-in page shows "Sign in with Upstream" (issue 15). 127.0.0.1 beside localhost keeps
// the two instances' cookies apart (RFC 6265 §8.5: cookies do not separate by port).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataKeys } from '../../src/crypto/data-key.ts';
import { importPeppers } from '../../src/crypto/password.ts';
import type { D1Like } from '../../src/store/db.ts';
import { findProvider, insertProvider, updateProvider } from '../../src/store/upstream-providers.ts';
import { sealClientSecret } from '../../src/upstream/secret.ts';
import type { Actor } from './admin-audit.ts';
import { addClientRedirectUri } from './admin-clients.ts';
import { openDatabase } from './database.ts';
import { type DemoCredentials, seedDemo } from './demo.ts';
import { applyLocalMigrations } from './migrations.ts';
import { freePort } from './net.ts';
import type { Project } from './project.ts';
import { generateSecrets } from './secrets.ts';

export const DEV_UPSTREAM_PROVIDER = 'upstream';

export interface DevUpstream {
  issuer: string;
  port: number;
  persistDir: string;
  envFile: string;
  /** The upstream instance's own demo user: who signs in there. */
  credentials: DemoCredentials;
}

/** Its secrets, made once and kept beside its state (never in the repo), so restarts keep its keys and sessions. */
async function upstreamSecrets(dir: string): Promise<{ envFile: string; pepper: string }> {
  const envFile = join(dir, 'upstream.env');
  if (!existsSync(envFile)) {
    mkdirSync(dir, { recursive: true });
    const secrets = await generateSecrets();
    writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n', { mode: 0o600 });
  }
  const pepper = /^PASSWORD_PEPPER='([^']+)'$/m.exec(readFileSync(envFile, 'utf8'))?.[1];
  if (!pepper) throw new Error(`${envFile} has no PASSWORD_PEPPER: delete it to regenerate`);
  return { envFile, pepper };
}

/**
 * Prepares the upstream instance (migrations, its demo user and client, our callback as a redirect URI) and points our
 * provider "upstream" at it with the client's current secret. Its port is chosen each run, so the provider is updated.
 */
export async function prepareDevUpstream(
  project: Project, persistDir: string, ourIssuer: string, db: D1Like, actor: Actor, dataKeys: DataKeys, reserved: readonly number[] = [],
): Promise<{ upstream: DevUpstream; changes: string[] }> {
  const dir = join(persistDir, 'upstream');
  const { envFile, pepper } = await upstreamSecrets(dir);
  await applyLocalMigrations(project, dir);
  const port = await freePort(reserved);
  const issuer = `http://127.0.0.1:${port}`;
  const database = await openDatabase({ project, mode: 'local', persistDir: dir });
  let credentials: DemoCredentials;
  try {
    credentials = (await seedDemo({ db: database.db, actor, peppers: await importPeppers(pepper), issuer, persistDir: dir })).credentials;
    await addClientRedirectUri(database.db, actor, credentials.clientId, `${ourIssuer}/upstream/${DEV_UPSTREAM_PROVIDER}/callback`);
  } finally {
    await database.close();
  }
  const now = Math.floor(Date.now() / 1000);
  const clientSecret = await sealClientSecret(dataKeys, DEV_UPSTREAM_PROVIDER, credentials.clientSecret);
  const existing = await findProvider(db, DEV_UPSTREAM_PROVIDER);
  const settings = {
    name: DEV_UPSTREAM_PROVIDER, kind: 'oidc' as const, issuer, tenant: null, clientId: credentials.clientId, clientSecret,
    scopes: ['openid', 'email', 'profile'], trustEmail: false, allowedDomains: [], enabled: true, keepTokens: false,
    createdAt: existing?.createdAt ?? now, updatedAt: now,
  };
  const changes: string[] = [];
  if (existing) await updateProvider(db, settings);
  else {
    await insertProvider(db, settings);
    changes.push(`the provider "${DEV_UPSTREAM_PROVIDER}" (a second local edge-oidc)`);
  }
  return { upstream: { issuer, port, persistDir: dir, envFile, credentials }, changes };
}

/** `wrangler dev` arguments for the upstream instance: the project's own Worker, its own state, port and secrets. */
export function upstreamDevArgs(u: DevUpstream, inspectorPort: number): string[] {
  return [
    '--port', String(u.port), '--ip', '127.0.0.1', '--persist-to', u.persistDir, '--env-file', u.envFile,
    '--var', `ISSUER:${u.issuer}`, 'DEV_MODE:true',
    '--show-interactive-dev-session=false', '--log-level', 'warn', '--inspector-port', String(inspectorPort),
  ];
}
