// Interop: independent relying-party libraries, each given only the issuer URL, a client id and a secret,
// run the code flow against wrangler dev (openid-client has its own file: e2e-openid-client.test.ts).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import session from 'express-session';
import * as oauth from 'oauth4webapi';
import passport from 'passport';
import { Strategy as OpenIDConnectStrategy, type Profile, type VerifyCallback } from 'passport-openidconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, hiddenField, startDevServer, type DevServer } from './helpers/dev-server.ts';
import { CookieJar } from './helpers/gateway-server.ts';

let server: DevServer;
const user = { username: 'interop-bob', password: 'interop-correct-horse-42', email: 'bob@example.com', name: 'Bob Interop' };
const redirectUri = 'http://127.0.0.1:9/callback';
const O4W = { id: 'interop-oauth4webapi', secret: 'interop-o4w-secret-0123456789abcdefghijklmnopqrstuvwxyz', audience: 'https://api.interop.example' };
const PASSPORT = { id: 'interop-passport', secret: 'interop-passport-secret-0123456789abcdefghijklmnopqrstuvwxyz' };

beforeAll(async () => {
  server = await startDevServer();
  await server.addUser(user);
  // Each library's default client authentication: oauth4webapi's documented ClientSecretPost, and the
  // `oauth` package under passport-openidconnect, which posts client_id and client_secret in the body.
  await server.addClient({ clientId: O4W.id, secret: O4W.secret, redirectUris: [redirectUri], authMethod: 'client_secret_post', audience: O4W.audience });
});

afterAll(async () => {
  await server?.stop();
});

describe('oauth4webapi against wrangler dev', () => {
  it('discovers, runs the code flow with PKCE, state and nonce, validates the id_token, reads userinfo', async () => {
    const issuer = new URL(server.issuer);
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' }));
    const client: oauth.Client = { client_id: O4W.id };
    const clientAuth = oauth.ClientSecretPost(O4W.secret);

    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: O4W.id, redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile email', state, nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    }).toString();

    const callback = await browserSignIn(url.href, user.username, user.password, server.issuer);
    // RFC 9207: the library checks `iss` in the authorization response because discovery advertises it.
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, codeVerifier, options);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    expect(claims).toMatchObject({ iss: server.issuer, aud: O4W.id, nonce });

    const info = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, result.access_token, options));
    expect(info).toMatchObject({ sub: claims.sub, email: user.email, name: user.name, preferred_username: user.username });

    // As a resource server: RFC 9068 validation of the access token against the JWKS, for its audience.
    const apiRequest = new Request(`${O4W.audience}/resource`, { headers: { Authorization: `Bearer ${result.access_token}` } });
    const token = await oauth.validateJwtAccessToken(as, apiRequest, O4W.audience, options);
    // RFC 9068 §2.2 allows an array: the resource and, for an openid grant, the issuer (userinfo).
    expect(token).toMatchObject({ sub: claims.sub, client_id: O4W.id, iss: server.issuer, aud: [O4W.audience, server.issuer] });
  });

  it('rejects an authorization response whose iss is not the issuer (mix-up defence works with our responses)', async () => {
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true, algorithm: 'oidc' }));
    const forged = new URL(`${redirectUri}?code=abc&state=s&iss=${encodeURIComponent('https://attacker.example')}`);
    expect(() => oauth.validateAuthResponse(as, { client_id: O4W.id }, forged, 's')).toThrow(/iss/);
  });
});

describe('passport-openidconnect (Express) against wrangler dev', () => {
  let app: Server;
  let appOrigin: string;

  beforeAll(async () => {
    const web = express();
    app = await new Promise<Server>((resolve) => {
      const listening = web.listen(0, '127.0.0.1', () => resolve(listening));
    });
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    await server.addClient({ clientId: PASSPORT.id, secret: PASSPORT.secret, redirectUris: [`${appOrigin}/callback`], authMethod: 'client_secret_post' });

    // passport-openidconnect does no discovery of its own: its endpoints come from ours.
    const metadata = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json() as Record<string, string>;
    passport.use(new OpenIDConnectStrategy({
      issuer: metadata.issuer!,
      authorizationURL: metadata.authorization_endpoint!,
      tokenURL: metadata.token_endpoint!,
      userInfoURL: metadata.userinfo_endpoint!,
      clientID: PASSPORT.id,
      clientSecret: PASSPORT.secret,
      callbackURL: `${appOrigin}/callback`,
      scope: ['profile', 'email'],
      nonce: 'true',
    // Nine parameters: the strategy then fetches userinfo, where OIDC Core §5.4 puts the profile claims
    // when an access token is issued (our id_tokens carry only the identity and authentication claims).
    }, (issuer: string, uiProfile: object, _idProfile: object, _context: object, idToken: string | object, _accessToken: string | object, _refreshToken: string, _params: unknown, done: VerifyCallback) => {
      const profile = uiProfile as Profile;
      done(null, { issuer, id: profile.id, username: profile.username, displayName: profile.displayName, email: profile.emails?.[0]?.value, idToken: typeof idToken === 'string' });
    }));
    passport.serializeUser((u, done) => done(null, u));
    passport.deserializeUser((u: Express.User, done) => done(null, u));
    web.use(session({ secret: 'interop-test-session-secret', resave: false, saveUninitialized: false }));
    web.use(passport.session());
    web.get('/login', passport.authenticate('openidconnect'));
    web.get('/callback', passport.authenticate('openidconnect', { failureRedirect: '/failed', failureMessage: true }), (_req, res) => res.redirect('/me'));
    web.get('/me', (req, res) => { res.json(req.user ?? null); });
    web.get('/failed', (req, res) => { res.status(401).json((req.session as { messages?: string[] }).messages ?? []); });
  });

  afterAll(async () => {
    await new Promise((resolve) => app?.close(resolve));
  });

  it('signs in through the strategy and reads the profile from userinfo', async () => {
    const jar = new CookieJar();
    const start = await jar.fetch(`${appOrigin}/login`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('Location')!);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const form = await jar.fetch(authorize.href);
    const login = await jar.fetch(`${server.issuer}/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.issuer },
      body: new URLSearchParams({ tx: hiddenField(await form.text()), username: user.username, password: user.password }),
    });
    expect(login.status).toBe(303);
    const { res, urls } = await jar.follow(login.headers.get('Location')!);
    expect(urls.at(-1)).toBe(`${appOrigin}/me`);
    expect(await res.json()).toMatchObject({
      issuer: server.issuer, username: user.username, displayName: user.name, email: user.email, idToken: true,
    });
  });
});
