// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4-3.5): poll until decided, then tokens once.
import { digestToken } from '../../crypto/digest.ts';
import type { Client } from '../../store/clients.ts';
import { nowSeconds } from '../../clock.ts';
import { consumeDeviceCode, pollDeviceCode, type DeviceCode } from '../../store/device-codes.ts';
import type { User } from '../../store/users.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { grantResources, readResources } from '../resources.ts';
import { mintUserTokens, type IssuedTokens } from '../tokens.ts';
import { activeUser, planIssue, startRefreshFamily } from './common.ts';
import type { GrantContext } from './context.ts';

export async function exchangeDeviceCode(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const deviceCodeHash = await digestToken(params.require('device_code', 256));
  // RFC 8707 §2: asked for when the device collects its tokens (docs/decisions.md); none, the client's audience.
  const resources = grantResources(readResources(params), client, ctx.services.config.allowedResources);
  const issue = planIssue(ctx, nowSeconds());
  const { device, clientUnchanged } = await pollDeviceCode(ctx.db, deviceCodeHash, client, issue.now);
  if (!clientUnchanged) throw changedClientError(client.clientId);
  const approved = checkApproved(device, issue.now);

  const scope = approved.scope.split(' ').filter(Boolean);
  const refresh = await startRefreshFamily(issue, client, scope, {
    familyId: deviceCodeHash, userId: approved.userId!, scope: approved.scope, sessionIdHash: approved.sessionIdHash,
    authTime: approved.authTime!, amr: approved.amr, acr: null, resources,
  });
  const approval = { userId: approved.userId!, sessionIdHash: approved.sessionIdHash, authTime: approved.authTime! };
  const consumption = await consumeDeviceCode(ctx.db, deviceCodeHash, issue.now, issue.accessTokenJti, refresh?.record ?? null, approval, client);
  const user = checkConsumed(consumption);
  return mintUserTokens(ctx.services, {
    client, user, scope, resources, authTime: approved.authTime!, nonce: null, idTokenClaims: [],
    amr: approved.amr, acr: null, accessTokenJti: issue.accessTokenJti, now: issue.now,
  }, refresh?.token ?? null);
}

/** Consumed once, by an active user whose approving session has not ended since (as for codes: docs/security.md). */
function checkConsumed(result: { consumed: boolean; user: User | null; sessionEnded: boolean }): User {
  if (!result.consumed) throw new OAuthError('invalid_grant', 'the device code has already been used');
  const user = activeUser(result.user);
  if (result.sessionEnded) throw new OAuthError('invalid_grant', 'the session that approved this device code has ended');
  return user;
}

/** RFC 8628 §3.5: the poll's answer, in this order, until the user has approved. */
function checkApproved(device: DeviceCode | null, now: number): DeviceCode {
  if (!device) throw new OAuthError('invalid_grant', 'unknown device_code');
  if (device.expiresAt <= now) throw new OAuthError('expired_token', 'the device code has expired');
  if (device.status === 'consumed') throw new OAuthError('invalid_grant', 'the device code has already been used');
  if (device.lastPolledAt !== null && now - device.lastPolledAt < device.intervalSeconds) {
    throw new OAuthError('slow_down', `poll no more than every ${device.intervalSeconds + 5} seconds`);
  }
  if (device.status === 'pending') throw new OAuthError('authorization_pending', 'the user has not decided yet');
  if (device.status === 'denied') throw new OAuthError('access_denied', 'the user denied the request');
  return device;
}
