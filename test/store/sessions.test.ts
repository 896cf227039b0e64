import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { endUserSessions } from '../../src/store/cascades.ts';
import { endSession, findActiveSession, findSessionState, insertSession } from '../../src/store/sessions.ts';
import { insertUser } from '../../src/store/users.ts';

const NOW = 1_900_000_000;

async function session(userId = `u-${randomToken(6)}`, expiresAt = NOW + 3600) {
  const record = { idHash: await digestToken(randomToken(32)), userId, authTime: NOW - 10, expiresAt };
  await insertSession(env.DB, record, NOW);
  return record;
}

describe('findSessionState', () => {
  it('is unknown for a session not recorded', async () => {
    expect(await findSessionState(env.DB, 'nope', NOW)).toBe('unknown');
  });

  it('is active until the session expires', async () => {
    const s = await session();
    expect(await findSessionState(env.DB, s.idHash, NOW)).toBe('active');
    expect(await findSessionState(env.DB, s.idHash, s.expiresAt - 1)).toBe('active');
    expect(await findSessionState(env.DB, s.idHash, s.expiresAt)).toBe('ended');
  });

  it('is ended once endSession ran', async () => {
    const s = await session();
    expect(await endSession(env.DB, s, NOW)).toBe(true);
    expect(await findSessionState(env.DB, s.idHash, NOW)).toBe('ended');
  });
});

describe('endSession and endUserSessions', () => {
  it('end a session once', async () => {
    const s = await session();
    expect(await endSession(env.DB, s, NOW)).toBe(true);
    expect(await endSession(env.DB, s, NOW + 1)).toBe(false);
  });

  it('end a session whose row was never written, and a late insert leaves it ended', async () => {
    const s = { idHash: await digestToken(randomToken(32)), userId: 'u-late', authTime: NOW - 10, expiresAt: NOW + 3600 };
    expect(await endSession(env.DB, s, NOW)).toBe(true);
    expect(await findSessionState(env.DB, s.idHash, NOW)).toBe('ended');
    await insertSession(env.DB, s, NOW);
    expect(await findSessionState(env.DB, s.idHash, NOW)).toBe('ended');
    expect(await endSession(env.DB, s, NOW + 1)).toBe(false);
  });

  it('end every live session of one user and no other', async () => {
    const userId = `u-${randomToken(6)}`;
    const a = await session(userId);
    const b = await session(userId);
    const other = await session();
    await endSession(env.DB, b, NOW);
    expect(await endUserSessions(env.DB, userId, NOW)).toBe(1);
    expect(await findSessionState(env.DB, a.idHash, NOW)).toBe('ended');
    expect(await findSessionState(env.DB, other.idHash, NOW)).toBe('active');
  });
});

describe('findActiveSession', () => {
  it('returns a live session and nothing once it ended or expired', async () => {
    const s = await session();
    expect(await findActiveSession(env.DB, s.idHash, NOW)).toEqual(s);
    expect(await findActiveSession(env.DB, s.idHash, s.expiresAt)).toBeNull();
    await endSession(env.DB, s, NOW);
    expect(await findActiveSession(env.DB, s.idHash, NOW)).toBeNull();
  });
});

describe('ending every session of a user', () => {
  async function user(): Promise<string> {
    const u = await insertUser(env.DB, { username: `u-${randomToken(6)}`, email: null, emailVerified: false, name: null, passwordHash: 'x' });
    return u.id;
  }

  it('ends sessions authenticated at or before the time, recorded or not, and not later ones', async () => {
    const userId = await user();
    const unrecorded = { idHash: await digestToken(randomToken(32)), userId, authTime: NOW - 10 };
    expect(await findSessionState(env.DB, unrecorded.idHash, NOW, unrecorded)).toBe('unknown');
    const recorded = await session(userId);
    expect(await findSessionState(env.DB, recorded.idHash, NOW, recorded)).toBe('active');
    expect(await endUserSessions(env.DB, userId, NOW)).toBe(1);
    expect(await findSessionState(env.DB, unrecorded.idHash, NOW, unrecorded)).toBe('ended');
    expect(await findSessionState(env.DB, unrecorded.idHash, NOW, { userId, authTime: NOW })).toBe('ended');
    expect(await findSessionState(env.DB, unrecorded.idHash, NOW, { userId, authTime: NOW + 1 })).toBe('unknown');
    // An earlier time never moves the marker back.
    await endUserSessions(env.DB, userId, NOW - 100);
    expect(await findSessionState(env.DB, unrecorded.idHash, NOW, unrecorded)).toBe('ended');
  });

  it('treats a session of a user who no longer exists as ended', async () => {
    const s = await session();
    expect(await findSessionState(env.DB, s.idHash, NOW, s)).toBe('ended');
    expect(await findSessionState(env.DB, s.idHash, NOW)).toBe('active');
  });
});
