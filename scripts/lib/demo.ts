// The dev script's demo client and user, made and repaired through the admin CLI's own operations.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { verifyClientSecret } from '../../src/crypto/digest.ts';
import { type Peppers, verifyPassword } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { checkPasswordPolicy } from '../../src/policy/password.ts';
import { findClient } from '../../src/store/clients.ts';
import type { D1Like } from '../../src/store/db.ts';
import { findUserByUsername } from '../../src/store/users.ts';
import type { Actor } from './admin-audit.ts';
import { addClientRedirectUri, changeClient, registerClient, rotateClientSecret } from './admin-clients.ts';
import { registerUser, setUserPassword } from './admin-users.ts';

export const DEMO_CLIENT_ID = 'demo';
export const DEMO_USERNAME = 'demo';
export const DEMO_STATE_FILE = 'edge-oidc-demo.json';

export interface DemoCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface DemoSeed {
  credentials: DemoCredentials;
  /** What this run changed, for the banner: e.g. "created the demo client". */
  changes: string[];
  userDisabled: boolean;
  statePath: string;
}

/** The demo secrets live beside the local D1 (inside the git-ignored state directory), never in the repo. */
export function demoStatePath(persistDir: string): string {
  return join(persistDir, DEMO_STATE_FILE);
}

function readDemoState(path: string): Partial<DemoCredentials> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return {
      clientSecret: typeof parsed.client_secret === 'string' ? parsed.client_secret : undefined,
      password: typeof parsed.password === 'string' ? parsed.password : undefined,
    };
  } catch {
    return {};
  }
}

function writeDemoState(path: string, c: DemoCredentials): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = { client_id: c.clientId, client_secret: c.clientSecret, username: c.username, password: c.password };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
}

function generateDemoPassword(): string {
  for (;;) {
    const password = randomToken(12);
    if (checkPasswordPolicy(password, { username: DEMO_USERNAME }) === null) return password;
  }
}

export interface DemoSeedInput {
  db: D1Like;
  actor: Actor;
  peppers: Peppers;
  issuer: string;
  persistDir: string;
}

/**
 * Makes sure the demo client and user exist and that the secret and password in the state file work:
 * creates what is missing, rotates the secret or resets the password when the file is gone or stale
 * (e.g. .dev.vars was regenerated with a new pepper), and registers `${issuer}/dev/callback`.
 */
export async function seedDemo({ db, actor, peppers, issuer, persistDir }: DemoSeedInput): Promise<DemoSeed> {
  const statePath = demoStatePath(persistDir);
  const saved = readDemoState(statePath);
  const changes: string[] = [];
  const redirectUri = `${issuer}/dev/callback`;

  let clientSecret: string;
  const client = await findClient(db, DEMO_CLIENT_ID);
  if (!client) {
    const created = await registerClient(db, actor, {
      clientId: DEMO_CLIENT_ID,
      name: 'Demo client',
      isPublic: false,
      authMethod: 'client_secret_basic',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [redirectUri],
      firstParty: true,
    });
    clientSecret = created.clientSecret!;
    changes.push('created the demo client');
  } else if (saved.clientSecret && client.secretHash && (await verifyClientSecret(saved.clientSecret, client.secretHash))) {
    clientSecret = saved.clientSecret;
  } else {
    clientSecret = (await rotateClientSecret(db, actor, DEMO_CLIENT_ID)).clientSecret!;
    changes.push('rotated the demo client secret (the saved one was missing or no longer valid)');
  }
  if (client && (await addClientRedirectUri(db, actor, DEMO_CLIENT_ID, redirectUri))) {
    changes.push(`added ${redirectUri} to the demo client`);
  }
  // Demo clients created before first-party clients existed: the demo is this service's own app.
  if (client && !client.firstParty) {
    await changeClient(db, actor, DEMO_CLIENT_ID, { firstParty: true });
    changes.push('made the demo client first-party');
  }

  let password: string;
  const user = await findUserByUsername(db, DEMO_USERNAME);
  if (!user) {
    password = generateDemoPassword();
    await registerUser(db, actor, peppers, {
      username: DEMO_USERNAME, email: 'demo@example.com', emailVerified: true, name: 'Demo User', password,
    });
    changes.push('created the demo user');
  } else if (saved.password && (await verifyPassword(saved.password, user.passwordHash, peppers)).ok) {
    password = saved.password;
  } else {
    password = generateDemoPassword();
    await setUserPassword(db, actor, peppers, user, password);
    changes.push('reset the demo user password (the saved one was missing or no longer valid)');
  }

  const credentials = { clientId: DEMO_CLIENT_ID, clientSecret, username: DEMO_USERNAME, password };
  if (saved.clientSecret !== clientSecret || saved.password !== password) writeDemoState(statePath, credentials);
  return { credentials, changes, userDisabled: user?.disabled ?? false, statePath };
}
