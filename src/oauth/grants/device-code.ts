// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4-3.5): poll until decided, then tokens once.
import { REFRESH_TOKEN_BYTES } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Client } from '../../store/clients.ts';
import { nowSeconds } from '../../clock.ts';
import { consumeDeviceCode, pollDeviceCode } from '../../store/device-codes.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { accessTokenExpiry, mintUserTokens, type IssuedTokens } from '../tokens.ts';
import type { GrantContext } from './context.ts';

export async function exchangeDeviceCode(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const { services, db } = ctx;
  const deviceCodeHash = await digestToken(params.require('device_code', 256));
  const now = nowSeconds();
  const { device, clientUnchanged } = await pollDeviceCode(db, deviceCodeHash, client, now);
  if (!clientUnchanged) throw changedClientError(client.clientId);
  if (!device) throw new OAuthError('invalid_grant', 'unknown device_code');
  if (device.expiresAt <= now) throw new OAuthError('expired_token', 'the device code has expired');
  if (device.status === 'consumed') throw new OAuthError('invalid_grant', 'the device code has already been used');
  if (device.lastPolledAt !== null && now - device.lastPolledAt < device.intervalSeconds) {
    throw new OAuthError('slow_down', `poll no more than every ${device.intervalSeconds + 5} seconds`);
  }
  if (device.status === 'pending') throw new OAuthError('authorization_pending', 'the user has not decided yet');
  if (device.status === 'denied') throw new OAuthError('access_denied', 'the user denied the request');

  const scope = device.scope.split(' ').filter(Boolean);
  const accessTokenJti = randomToken(16);
  const accessTokenExpiresAt = accessTokenExpiry(services, now);
  const refreshToken = scope.includes('offline_access') && client.grantTypes.includes('refresh_token') ? randomToken(REFRESH_TOKEN_BYTES) : null;
  const { consumed, user } = await consumeDeviceCode(db, deviceCodeHash, accessTokenJti, refreshToken ? {
    tokenHash: await digestToken(refreshToken), familyId: deviceCodeHash, clientId: client.clientId, userId: device.userId!,
    scope: device.scope, sessionIdHash: device.sessionIdHash, authTime: device.authTime!, createdAt: now,
    expiresAt: now + Math.min(services.config.refreshTokenIdleTtlSeconds, services.config.refreshTokenAbsoluteTtlSeconds),
    familyExpiresAt: now + services.config.refreshTokenAbsoluteTtlSeconds, accessTokenJti, accessTokenExpiresAt,
    amr: device.amr, acr: null,
  } : null, device.userId!, client);
  if (!consumed) throw new OAuthError('invalid_grant', 'the device code has already been used');
  if (!user || user.disabled) throw new OAuthError('invalid_grant', 'the user is no longer active');
  return mintUserTokens(services, {
    client, user, scope, authTime: device.authTime!, nonce: null, idTokenClaims: [], amr: device.amr, acr: null, accessTokenJti, now,
  }, refreshToken);
}
