// /account's sessions section: the live sessions with their device, this one marked; sign out one or all the others.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { describeBrowser } from '../../src/account/user-agent.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { getAccount, postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createUser } from '../helpers/fixtures.ts';
import { isLoginPage, sessionIdHash } from '../helpers/flow.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const EDGE = `${CHROME} Edg/131.0.0.0`;

const signedIn = async (cookie: string) => !isLoginPage(await (await getAccount(cookie)).text());

describe('describeBrowser', () => {
  it('names the common families and systems, and nothing else', () => {
    expect(describeBrowser(FIREFOX)).toBe('Firefox on Linux');
    expect(describeBrowser(CHROME)).toBe('Chrome on Windows');
    expect(describeBrowser(EDGE)).toBe('Edge on Windows');
    expect(describeBrowser(SAFARI_IOS)).toBe('Safari on iOS');
    expect(describeBrowser('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15')).toBe('Safari on macOS');
    expect(describeBrowser('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome on Android');
    expect(describeBrowser('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(describeBrowser('curl/8.5.0')).toBe('curl');
    expect(describeBrowser('something else')).toBeNull();
    expect(describeBrowser(null)).toBeNull();
  });
});

describe('/account sessions', () => {
  it('lists the live sessions with browser, place and address, this device marked', async () => {
    const user = await createUser();
    await signInToAccountFrom(user, { 'User-Agent': CHROME, 'CF-Connecting-IP': '203.0.113.7' });
    const cookie = await signInToAccountFrom(user, { 'User-Agent': FIREFOX, 'CF-Connecting-IP': '198.51.100.2' });
    const html = await (await getAccount(cookie)).text();
    const list = html.slice(html.indexOf('id="sessions"'), html.indexOf('id="apps"'));
    expect(list).toContain('<strong>Firefox on Linux</strong> <span class="muted">(this device)</span>');
    expect(list).toContain('<strong>Chrome on Windows</strong>');
    expect(list).toContain('203.0.113.7');
    expect(list).toContain('198.51.100.2');
    // No request.cf outside Cloudflare's edge: the place is unknown.
    expect(list).toContain('<dd>unknown</dd>');
    // Only the other session has a sign-out button.
    expect(list.match(/action="\/account\/sessions\/end"/g)).toHaveLength(1);
    expect(list).not.toContain(`value="${await sessionIdHash(cookie)}"`);
  });

  it('signs out one other session, audited', async () => {
    const user = await createUser();
    const other = await signInToAccountFrom(user, { 'User-Agent': CHROME });
    const cookie = await signInToAccountFrom(user, { 'User-Agent': CHROME });
    const res = await postAccount(cookie, '/account/sessions/end', { session: await sessionIdHash(other) });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/account?done=session-ended#sessions');
    expect(await signedIn(other)).toBe(false);
    expect(await signedIn(cookie)).toBe(true);
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'session.end' });
    expect(event).toMatchObject({ outcome: 'success', detail: 'account' });
  });

  it("refuses another user's session, this one, a malformed or missing id: nothing ends", async () => {
    const [user, stranger] = await Promise.all([createUser(), createUser()]);
    const theirs = await signInToAccountFrom(stranger);
    const cookie = await signInToAccountFrom(user);
    const bodies = [{ session: await sessionIdHash(theirs) }, { session: await sessionIdHash(cookie) }, { session: 'x'.repeat(5000) }, { session: "' OR 1=1 --" }, {}];
    for (const body of bodies) expect((await postAccount(cookie, '/account/sessions/end', body)).status).toBe(404);
    expect(await signedIn(theirs)).toBe(true);
    expect(await signedIn(cookie)).toBe(true);
    const events = await queryAuditEvents(env.DB, { userId: user.id, type: 'session.end', since: 0 });
    expect(events.filter((e) => e.outcome === 'failure')).toHaveLength(1);
  });

  it('signs out every other session and keeps this one', async () => {
    const [user, stranger] = await Promise.all([createUser(), createUser()]);
    const others = [await signInToAccountFrom(user), await signInToAccountFrom(user)];
    const theirs = await signInToAccountFrom(stranger);
    const cookie = await signInToAccountFrom(user);
    const res = await postAccount(cookie, '/account/sessions/others', {});
    expect(res.headers.get('Location')).toBe('/account?done=others-ended#sessions');
    for (const o of others) expect(await signedIn(o)).toBe(false);
    expect(await signedIn(cookie)).toBe(true);
    expect(await signedIn(theirs)).toBe(true);
    const page = await (await getAccount(cookie, res.headers.get('Location')!)).text();
    expect(page).toContain('Every other session was signed out.');
    expect(page).toContain('No other sessions.');
    const [event] = await queryAuditEvents(env.DB, { userId: user.id, type: 'session.end_others' });
    expect(event).toMatchObject({ outcome: 'success', detail: '2' });
  });
});
