// A database created by the wave-1 schema.sql, with data in it, upgraded by every migration in migrations/ (issue 11 §7).
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestToken, hashClientSecret } from '../../src/crypto/digest.ts';
import { hashPassword, verifyPassword } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { findSessionState } from '../../src/store/sessions.ts';
import { findUserByUsername } from '../../src/store/users.ts';
import { nowSeconds } from '../../src/clock.ts';
import { exchange, peppers, signIn, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import wave1Schema from '../fixtures/schema-wave1.sql?raw';
import { refresh } from '../helpers/flow.ts';

const NOW = nowSeconds();
const user: TestUser = { id: 'wave1-user', username: 'ada', password: 'analytical engine 1843' };
const client: TestClient = { clientId: 'wave1-app', secret: randomToken(32), redirectUri: 'https://app.example.com/cb' };
const refreshToken = randomToken(32);
const sessionIdHash = 'wave1-session-hash';

/** The fixture's statements one by one (it has no triggers, so every `;` at a line end ends one). */
function statements(sql: string): string[] {
  return sql.replace(/--[^\n]*/g, '').split(/;\s*\n/).map((s) => s.trim()).filter(Boolean);
}

/** This file's D1 back to empty, then exactly what a wave-1 deployment holds. */
async function createWave1Database(db: D1Database): Promise<void> {
  const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  for (const { name } of results) await db.prepare(`DROP TABLE "${name}"`).run();
  await db.batch(statements(wave1Schema).map((s) => db.prepare(s)));
}

async function fillWave1Database(db: D1Database): Promise<void> {
  const passwordHash = await hashPassword(user.password, await peppers());
  await db.batch([
    db.prepare('INSERT INTO users (id, username, email, email_verified, name, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, 0, ?, ?)')
      .bind(user.id, user.username, 'ada@example.com', 'Ada', passwordHash, NOW, NOW),
    db.prepare(`INSERT INTO clients (client_id, secret_hash, name, token_endpoint_auth_method, grant_types, scopes, redirect_uris,
      post_logout_redirect_uris, id_token_signed_response_alg, audience, created_at, updated_at)
      VALUES (?, ?, 'Wave 1 App', 'client_secret_basic', ?, ?, ?, '[]', 'RS256', NULL, ?, ?)`)
      .bind(client.clientId, await hashClientSecret(client.secret!), JSON.stringify(['authorization_code', 'refresh_token']),
        JSON.stringify(['openid', 'profile', 'email', 'offline_access']), JSON.stringify([client.redirectUri]), NOW, NOW),
    db.prepare('INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, NULL)')
      .bind(sessionIdHash, user.id, NOW, NOW, NOW + 3600),
    db.prepare(`INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, session_id_hash, auth_time, created_at,
      expires_at, family_expires_at, access_token_jti, access_token_expires_at) VALUES (?, 'fam-1', ?, ?, 'openid offline_access', ?, ?, ?, ?, ?, 'jti-1', ?)`)
      .bind(await digestToken(refreshToken), client.clientId, user.id, sessionIdHash, NOW, NOW, NOW + 86_400, NOW + 86_400 * 30, NOW + 3600),
  ]);
}

beforeAll(async () => {
  await createWave1Database(env.DB);
  await fillWave1Database(env.DB);
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

describe('upgrading a wave-1 database with every migration', () => {
  it('records every migration as applied, 0001 included, and keeps the rows', async () => {
    const { results } = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    expect(results[0]!.name).toBe('0001_initial.sql');
    const stored = await findUserByUsername(env.DB, 'ada');
    expect(stored?.id).toBe(user.id);
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_hash: string }>();
    expect((await verifyPassword(user.password, row!.password_hash, await peppers())).ok).toBe(true);
    expect(await findSessionState(env.DB, sessionIdHash, NOW)).toBe('active');
  });

  it('signs the old user in through the Worker and issues tokens to the old client', async () => {
    const { code } = await signIn(client, user);
    const res = await exchange(client, code);
    expect(res.status).toBe(200);
    const body = await res.json<{ id_token: string }>();
    expect(body.id_token.split('.')).toHaveLength(3);
  });

  it('redeems a refresh token issued before the upgrade', async () => {
    const res = await refresh(client, refreshToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('access_token');
  });
});
