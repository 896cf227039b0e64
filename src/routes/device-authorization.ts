// POST /device_authorization (RFC 8628 §3.1-3.2): a device asks for a device code and a user code.
import { Hono } from 'hono/tiny';
import { DEVICE_CODE_BYTES, DEVICE_CODE_GRANT, DEVICE_CODE_TTL_SECONDS, DEVICE_POLL_INTERVAL_SECONDS, SCOPES_SUPPORTED } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { OAuthError } from '../oauth/errors.ts';
import { RequestParams } from '../oauth/params.ts';
import { parseScope } from '../oauth/scopes.ts';
import { formatUserCode, generateUserCode } from '../oauth/user-code.ts';
import { nowSeconds } from '../clock.ts';
import { insertDeviceCode } from '../store/device-codes.ts';
import { authenticateRequestClient } from '../guards/client-request.ts';

export const deviceAuthorizationRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { config } = c.get('services');
  const params = await RequestParams.fromForm(c.req.raw);
  const client = await authenticateRequestClient(c, params);
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT)) throw new OAuthError('unauthorized_client', 'this client may not use the device flow');
  // Scopes we support and the client may request; others are dropped (the token response says what was granted).
  const supported = new Set<string>(SCOPES_SUPPORTED);
  const scope = parseScope(params.get('scope')).filter((s) => supported.has(s) && (s === 'openid' || client.scopes.includes(s)));
  if (scope.includes('offline_access') && !client.grantTypes.includes('refresh_token')) scope.splice(scope.indexOf('offline_access'), 1);

  const deviceCode = randomToken(DEVICE_CODE_BYTES);
  const deviceCodeHash = await digestToken(deviceCode);
  const now = nowSeconds();
  let userCode = '';
  for (let attempt = 0; attempt < 3 && !userCode; attempt++) {
    const candidate = generateUserCode();
    const stored = await insertDeviceCode(c.env.DB, {
      deviceCodeHash, userCode: candidate, clientId: client.clientId, scope: scope.join(' '),
      intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS, createdAt: now, expiresAt: now + DEVICE_CODE_TTL_SECONDS,
    });
    if (stored) userCode = candidate;
  }
  if (!userCode) throw new OAuthError('temporarily_unavailable', 'could not allocate a user code; try again');
  recordAudit(c, { type: 'device.code_issued', outcome: 'success', clientId: client.clientId, detail: scope.join(' ') });
  const display = formatUserCode(userCode);
  return c.json({
    device_code: deviceCode,
    user_code: display,
    verification_uri: `${config.issuer}/device`,
    verification_uri_complete: `${config.issuer}/device?user_code=${display}`,
    expires_in: DEVICE_CODE_TTL_SECONDS,
    interval: DEVICE_POLL_INTERVAL_SECONDS,
  }, 200, { 'Cache-Control': 'no-store' });
});
