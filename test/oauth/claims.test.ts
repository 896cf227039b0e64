import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient, createUser } from '../helpers/fixtures.ts';
import { tokensFor, userinfo } from '../helpers/flow.ts';

const PROFILE_AND_EMAIL = JSON.stringify({ id_token: { email: null, name: null }, userinfo: { email: null, name: null } });

async function userinfoClaims(accessToken: string): Promise<Record<string, unknown>> {
  const res = await userinfo(accessToken);
  expect(res.status).toBe(200);
  return res.json<Record<string, unknown>>();
}

describe('the claims parameter (OIDC Core §5.5) within the granted scopes (§5.4)', () => {
  it('releases nothing beyond openid to a client registered with only openid', async () => {
    const client = await createClient({ scopes: ['openid'] });
    const user = await createUser({ name: 'Grace Hopper' });
    const { tokens } = await tokensFor(client, user, { scope: 'openid', claims: JSON.stringify({ id_token: { email: null, name: null } }) });
    expect(tokens.scope).toBe('openid');
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken).not.toHaveProperty('email');
    expect(idToken).not.toHaveProperty('name');
    expect(idToken.sub).toBe(user.id);
    expect(await userinfoClaims(tokens.access_token)).toEqual({ sub: user.id });
  });

  it('leaves out claims whose scope the client may have but this authorization did not grant', async () => {
    const client = await createClient({ scopes: ['openid', 'profile', 'email'] });
    const user = await createUser({ name: 'Grace Hopper' });
    const { tokens } = await tokensFor(client, user, { scope: 'openid', claims: PROFILE_AND_EMAIL });
    expect(tokens.scope).toBe('openid');
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken).not.toHaveProperty('email');
    expect(idToken).not.toHaveProperty('name');
    expect(await userinfoClaims(tokens.access_token)).toEqual({ sub: user.id });
  });

  it('releases only the requested claims of the scopes granted', async () => {
    const client = await createClient({ scopes: ['openid', 'profile', 'email'] });
    const user = await createUser({ name: 'Grace Hopper' });
    const { tokens } = await tokensFor(client, user, { scope: 'openid email', claims: PROFILE_AND_EMAIL });
    expect(tokens.scope).toBe('openid email');
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken.email).toBe(`${user.username}@example.com`);
    expect(idToken).not.toHaveProperty('name');
    expect(await userinfoClaims(tokens.access_token)).toEqual({ sub: user.id, email: `${user.username}@example.com`, email_verified: true });
  });
});
