import { describe, expect, it } from 'vitest';
import { expiryFrom } from '../../src/oauth/expiry.ts';

describe('expiryFrom', () => {
  it('adds each lifetime to now', () => {
    const lifetimes = { accessTokenTtlSeconds: 3600, idTokenTtlSeconds: 1800, refreshTokenIdleTtlSeconds: 86_400, refreshTokenAbsoluteTtlSeconds: 864_000 };
    expect(expiryFrom(lifetimes, 1000)).toEqual({ accessToken: 4600, idToken: 2800, refreshToken: 87_400, refreshFamily: 865_000 });
  });

  it('never lets a new refresh token outlive its family', () => {
    const lifetimes = { accessTokenTtlSeconds: 60, idTokenTtlSeconds: 30, refreshTokenIdleTtlSeconds: 500, refreshTokenAbsoluteTtlSeconds: 100 };
    expect(expiryFrom(lifetimes, 1000)).toEqual({ accessToken: 1060, idToken: 1030, refreshToken: 1100, refreshFamily: 1100 });
  });
});
