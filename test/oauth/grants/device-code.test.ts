import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { replacePassword, setUserDisabled } from '../../../src/store/cascades.ts';
import { DEVICE_CODE_GRANT } from '../../../src/constants.ts';
import { decideDevice, startDevice } from '../../helpers/device.ts';
import { createClient, createUser, form, type TestClient } from '../../helpers/fixtures.ts';

async function deviceClient(): Promise<TestClient> {
  return createClient({ tokenEndpointAuthMethod: 'none', grantTypes: [DEVICE_CODE_GRANT, 'refresh_token'], redirectUris: [] });
}

function poll(client: TestClient, deviceCode: string) {
  return form('/token', { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: client.clientId });
}

describe('device authorization grant (RFC 8628)', () => {
  it('issues codes in the RFC shape with a readable user code', async () => {
    const client = await deviceClient();
    const d = await startDevice(client);
    expect(d.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(d.verification_uri).toBe('https://id.example.test/device');
    expect(d.verification_uri_complete).toBe(`https://id.example.test/device?user_code=${d.user_code}`);
    expect(d.expires_in).toBe(600);
    expect(d.interval).toBe(5);
    expect(d.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers authorization_pending, then slow_down when polled faster than the interval', async () => {
    const client = await deviceClient();
    const user = await createUser();
    const d = await startDevice(client);
    const pending = await poll(client, d.device_code);
    expect((await pending.json<{ error: string }>()).error).toBe('authorization_pending');
    expect(await decideDevice(d.user_code.toLowerCase(), user, 'allow')).toContain('Device connected');
    // The second poll comes sooner than the interval: slow_down, and no tokens yet.
    const fast = await poll(client, d.device_code);
    expect((await fast.json<{ error: string }>()).error).toBe('slow_down');
    expect((await poll(client, d.device_code)).status).toBe(400);
  });

  it('concurrent polls of an approved code: at most one success', async () => {
    const client = await deviceClient();
    const user = await createUser();
    const d = await startDevice(client);
    await decideDevice(d.user_code.toLowerCase(), user, 'allow');
    const results = await Promise.all(Array.from({ length: 6 }, () => poll(client, d.device_code)));
    const bodies = await Promise.all(results.map((r) => r.json<{ error?: string; access_token?: string; refresh_token?: string }>()));
    const successes = bodies.filter((b) => b.access_token);
    expect(successes.length).toBe(1);
    expect(successes[0]!.refresh_token).toBeTruthy();
    for (const b of bodies.filter((x) => !x.access_token)) expect(['slow_down', 'invalid_grant']).toContain(b.error);
  });

  it('an approval made in a session that has ended since (new password, disable) yields no tokens', async () => {
    const client = await deviceClient();
    for (const end of [(id: string) => replacePassword(env.DB, id, 'replaced'), (id: string) => setUserDisabled(env.DB, id, true)]) {
      const user = await createUser();
      const d = await startDevice(client);
      await decideDevice(d.user_code.toLowerCase(), user, 'allow');
      await end(user.id);
      const res = await poll(client, d.device_code);
      expect(res.status).toBe(400);
      expect((await res.json<{ error: string }>()).error).toBe('invalid_grant');
    }
  });

  it('denied: access_denied', async () => {
    const client = await deviceClient();
    const d = await startDevice(client);
    expect(await decideDevice(d.user_code.toLowerCase(), await createUser(), 'deny')).toContain('Request denied');
    expect((await (await poll(client, d.device_code)).json<{ error: string }>()).error).toBe('access_denied');
  });

  it('refuses unknown codes, other clients, and clients without the grant', async () => {
    const client = await deviceClient();
    const d = await startDevice(client);
    const other = await deviceClient();
    expect((await (await poll(other, d.device_code)).json<{ error: string }>()).error).toBe('invalid_grant');
    expect((await (await poll(client, 'nope')).json<{ error: string }>()).error).toBe('invalid_grant');
    const plain = await createClient();
    const res = await form('/device_authorization', { client_id: plain.clientId, scope: 'openid' }, { Authorization: `Basic ${btoa(`${plain.clientId}:${plain.secret}`)}` });
    expect((await res.json<{ error: string }>()).error).toBe('unauthorized_client');
  });
});
