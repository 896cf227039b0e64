// Rotating SESSION_SECRET ("new,old"): signed-in browsers stay signed in; the old secret stops working once removed.
import { env } from 'cloudflare:workers';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, callWithEnv, createClient, createUser, signIn } from '../helpers/fixtures.ts';
import { waitForSessionRow } from '../helpers/flow.ts';

function authorizeUnder(sessionSecret: string, path: string, cookie: string): Promise<Response> {
  return callWithEnv({ SESSION_SECRET: sessionSecret }, path, { headers: { Cookie: cookie } });
}

describe('SESSION_SECRET rotation', () => {
  const next = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));

  it('keeps a browser signed in with the old secret listed second, and not once it is removed', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await waitForSessionRow(cookie);
    const path = authorizeUrl(client);

    const during = await authorizeUnder(`${next},${env.SESSION_SECRET}`, path, cookie);
    expect(during.status).toBe(302);
    expect(new URL(during.headers.get('Location')!).searchParams.get('code')).toBeTruthy();

    const after = await authorizeUnder(next, path, cookie);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('name="password"');
  });
});
