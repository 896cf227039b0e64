import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { digestToken, hashClientSecret } from '../../src/crypto/digest.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { deleteUser, endUserSessions } from '../../src/store/cascades.ts';
import { deleteCode, readCode, redeemCode, revokeReplayedCode, saveCode, type CodePayload, type Redemption } from '../../src/store/codes.ts';
import { endSession, insertSession } from '../../src/store/sessions.ts';
import { nowSeconds } from '../../src/clock.ts';
import { createClient, createUser } from '../helpers/fixtures.ts';

const now = nowSeconds;

function payload(overrides: Partial<CodePayload> = {}): CodePayload {
  return {
    clientId: 'c1', redirectUri: 'https://app.example.com/cb', scope: 'openid', nonce: 'n', codeChallenge: null,
    userId: 'u1', authTime: now(), sessionIdHash: 's1', idTokenClaims: ['email'], amr: ['pwd'], acr: null, expiresAt: now() + 60, ...overrides,
  };
}

/** A client, a user and a live session in D1, and a redemption of a fresh code for them. */
async function arrange(overrides: Partial<Redemption> = {}): Promise<Redemption> {
  const client = await createClient();
  const user = await createUser();
  const sessionIdHash = await digestToken(randomToken(32));
  await insertSession(env.DB, { idHash: sessionIdHash, userId: user.id, authTime: now(), expiresAt: now() + 3600 }, now());
  return {
    codeHash: await digestToken(randomToken(32)), clientId: client.clientId, clientSecretHash: await hashClientSecret(client.secret!),
    userId: user.id, sessionIdHash, authTime: now() - 5, accessTokenJti: randomToken(16), accessTokenExpiresAt: now() + 3600, now: now(),
    refreshToken: null, ...overrides,
  };
}

async function isRevoked(jti: string): Promise<boolean> {
  return (await env.DB.prepare('SELECT 1 FROM revoked_tokens WHERE jti = ?').bind(jti).first()) !== null;
}

describe('saveCode, readCode and deleteCode', () => {
  it('round-trips the payload under the code hash', async () => {
    const hash = await digestToken(randomToken(32));
    const p = payload();
    await saveCode(env.CODES, hash, p);
    expect(await readCode(env.CODES, hash)).toEqual(p);
  });

  it('keys the payload by hash with a prefix and an expiry, never by the code', async () => {
    const code = randomToken(32);
    const hash = await digestToken(code);
    await saveCode(env.CODES, hash, payload());
    const { keys } = await env.CODES.list({ prefix: 'code:' });
    const key = keys.find((k) => k.name === `code:${hash}`);
    expect(key).toBeDefined();
    expect(key!.expiration).toBeGreaterThan(now());
    expect(key!.expiration).toBeLessThanOrEqual(now() + 61);
    expect(keys.some((k) => k.name.includes(code))).toBe(false);
  });

  it('reads null for an unknown hash and after deletion', async () => {
    const hash = await digestToken(randomToken(32));
    expect(await readCode(env.CODES, hash)).toBeNull();
    await saveCode(env.CODES, hash, payload());
    await deleteCode(env.CODES, hash);
    expect(await readCode(env.CODES, hash)).toBeNull();
  });
});

describe('redeemCode', () => {
  it('redeems a fresh code and reads its user and live session', async () => {
    const r = await arrange();
    const result = await redeemCode(env.DB, r);
    expect(result.redeemed).toBe(true);
    expect(result.user?.id).toBe(r.userId);
    expect(result.sessionEnded).toBe(false);
  });

  it('redeems a code only once', async () => {
    const r = await arrange();
    expect((await redeemCode(env.DB, r)).redeemed).toBe(true);
    expect((await redeemCode(env.DB, { ...r, accessTokenJti: randomToken(16) })).redeemed).toBe(false);
  });

  it('lets exactly one of ten concurrent redemptions win', async () => {
    const r = await arrange();
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemCode(env.DB, { ...r, accessTokenJti: randomToken(16) })));
    expect(results.filter((x) => x.redeemed)).toHaveLength(1);
  });

  it('does not redeem when the client secret changed since authentication', async () => {
    const r = await arrange();
    expect((await redeemCode(env.DB, { ...r, clientSecretHash: await hashClientSecret('rotated') })).redeemed).toBe(false);
    expect((await redeemCode(env.DB, r)).redeemed).toBe(true);
  });

  it('does not redeem for a client that no longer exists', async () => {
    const r = await arrange();
    expect((await redeemCode(env.DB, { ...r, clientId: 'deleted-client' })).redeemed).toBe(false);
  });

  it('reports a session that was ended', async () => {
    const r = await arrange();
    await endSession(env.DB, { idHash: r.sessionIdHash, userId: r.userId, authTime: now(), expiresAt: now() + 3600 }, now());
    expect((await redeemCode(env.DB, r)).sessionEnded).toBe(true);
  });

  it('reports a session without a row once all its user\'s sessions were ended, and not a later one', async () => {
    const r = await arrange({ sessionIdHash: await digestToken(randomToken(32)) });
    expect((await redeemCode(env.DB, r)).sessionEnded).toBe(false);
    await endUserSessions(env.DB, r.userId, r.authTime);
    expect((await redeemCode(env.DB, { ...r, codeHash: await digestToken(randomToken(32)) })).sessionEnded).toBe(true);
    expect((await redeemCode(env.DB, { ...r, codeHash: await digestToken(randomToken(32)), authTime: r.authTime + 1 })).sessionEnded).toBe(false);
  });

  it('reports a session past its expiry', async () => {
    const r = await arrange();
    expect((await redeemCode(env.DB, { ...r, now: now() + 3600 })).sessionEnded).toBe(true);
  });

  it('treats a session not yet recorded as live', async () => {
    const r = await arrange({ sessionIdHash: 'not-yet-written' });
    expect((await redeemCode(env.DB, r)).sessionEnded).toBe(false);
  });

  it('reports no user once the user is deleted', async () => {
    const r = await arrange();
    await deleteUser(env.DB, r.userId);
    expect((await redeemCode(env.DB, r)).user).toBeNull();
  });
});

describe('revokeReplayedCode', () => {
  it('revokes the access token of the first redemption and reports it', async () => {
    const r = await arrange();
    await redeemCode(env.DB, r);
    expect(await isRevoked(r.accessTokenJti)).toBe(false);
    expect(await revokeReplayedCode(env.DB, r.codeHash, now())).toEqual({ clientId: r.clientId, userId: r.userId });
    expect(await isRevoked(r.accessTokenJti)).toBe(true);
    const row = await env.DB.prepare('SELECT replayed_at FROM code_redemptions WHERE code_hash = ?').bind(r.codeHash).first<{ replayed_at: number }>();
    expect(row?.replayed_at).toBeGreaterThan(0);
  });

  it('can be repeated', async () => {
    const r = await arrange();
    await redeemCode(env.DB, r);
    await revokeReplayedCode(env.DB, r.codeHash, now());
    expect(await revokeReplayedCode(env.DB, r.codeHash, now())).toEqual({ clientId: r.clientId, userId: r.userId });
  });

  it('returns null and revokes nothing for a code never redeemed', async () => {
    const r = await arrange();
    expect(await revokeReplayedCode(env.DB, r.codeHash, now())).toBeNull();
    expect(await isRevoked(r.accessTokenJti)).toBe(false);
  });
});
