import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../src/crypto/random.ts';
import { deleteUser } from '../../src/store/cascades.ts';
import { deleteLinkUnlessLast, findLink, insertLink, listUserLinks } from '../../src/store/upstream-links.ts';
import {
  deleteProvider, findProvider, insertProvider, listEnabledProviderNames, ProviderExistsError, updateProvider, type UpstreamProvider,
} from '../../src/store/upstream-providers.ts';
import { insertUser } from '../../src/store/users.ts';

const id = () => randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'q');

function provider(name: string, enabled = true): UpstreamProvider {
  return {
    name, kind: 'oidc', issuer: 'https://up.example', tenant: null, clientId: 'c', clientSecret: 'k1.x.y', scopes: ['openid'],
    trustEmail: false, allowedDomains: ['example.com'], enabled, keepTokens: false, createdAt: 1, updatedAt: 1,
  };
}

const link = (issuer: string, subject: string, userId: string, name = 'p') => ({ issuer, subject, userId, provider: name, createdAt: 1, lastUsedAt: 1 });
const user = (password = 'x') => insertUser(env.DB, { username: `u-${id()}`, email: null, emailVerified: false, name: null, passwordHash: password });

describe('upstream providers', () => {
  it('round-trips, refuses a duplicate name, lists only enabled ones, and removes the links with the provider', async () => {
    const name = `p-${id()}`;
    await insertProvider(env.DB, provider(name));
    await expect(insertProvider(env.DB, provider(name))).rejects.toThrow(ProviderExistsError);
    expect(await findProvider(env.DB, name)).toEqual(provider(name));
    expect(await listEnabledProviderNames(env.DB)).toContain(name);
    expect(await updateProvider(env.DB, { ...provider(name, false), updatedAt: 2 })).toBe(true);
    expect(await listEnabledProviderNames(env.DB)).not.toContain(name);
    const u = await user();
    await insertLink(env.DB, link('https://up.example', 's', u.id, name));
    expect(await deleteProvider(env.DB, name)).toBe(true);
    expect(await findLink(env.DB, 'https://up.example', 's')).toBeNull();
  });
});

describe('upstream links', () => {
  it('are unique on (issuer, sub): the same sub from two issuers is two identities, a pair never moves', async () => {
    const [a, b] = [await user(), await user()];
    const sub = `sub-${id()}`;
    expect(await insertLink(env.DB, link('https://one.example', sub, a.id))).toBe(true);
    expect(await insertLink(env.DB, link('https://two.example', sub, b.id))).toBe(true);
    expect(await insertLink(env.DB, link('https://one.example', sub, b.id))).toBe(false);
    expect((await findLink(env.DB, 'https://one.example', sub))!.userId).toBe(a.id);
    expect((await findLink(env.DB, 'https://two.example', sub))!.userId).toBe(b.id);
  });

  it('refuses to unlink the last way to sign in, allows it with a password or another link', async () => {
    const noPassword = await user('');
    const sub = `sub-${id()}`;
    await insertLink(env.DB, link('https://one.example', sub, noPassword.id));
    expect(await deleteLinkUnlessLast(env.DB, noPassword.id, 'https://one.example', sub)).toBe(false);
    await insertLink(env.DB, link('https://two.example', sub, noPassword.id));
    expect(await deleteLinkUnlessLast(env.DB, noPassword.id, 'https://one.example', sub)).toBe(true);
    expect(await deleteLinkUnlessLast(env.DB, noPassword.id, 'https://two.example', sub)).toBe(false);
    const withPassword = await user();
    await insertLink(env.DB, link('https://three.example', sub, withPassword.id));
    expect(await deleteLinkUnlessLast(env.DB, withPassword.id, 'https://three.example', sub)).toBe(true);
  });

  it('go with the user when the user is deleted', async () => {
    const u = await user();
    await insertLink(env.DB, link('https://one.example', `s-${id()}`, u.id));
    await deleteUser(env.DB, u.id);
    expect(await listUserLinks(env.DB, u.id)).toEqual([]);
  });
});
