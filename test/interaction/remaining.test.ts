// The remaining-steps table: a step added to it runs in its place after the first factor, and nothing else changes.
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Journey, RemainingStep } from '../../src/interaction/journey.ts';
import { REMAINING_STEPS } from '../../src/interaction/remaining.ts';
import { authorizeUrl, callWithEnv, createClient, createUser, exchange, hiddenTx, ISSUER, sessionCookie, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { expectRedirect, isLoginPage } from '../helpers/flow.ts';

const ORIGINAL = [...REMAINING_STEPS];
let trace: string[] = [];
let seen: Journey[] = [];

afterEach(() => {
  REMAINING_STEPS.splice(0, REMAINING_STEPS.length, ...ORIGINAL);
  trace = [];
  seen = [];
});

/** Called in this isolate's module instance, so the table the test edits is the one the Worker runs. */
function post(path: string, body: Record<string, string>, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER };
  if (cookie) headers.Cookie = cookie;
  return callWithEnv({}, path, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
}

async function logIn(client: TestClient, user: TestUser, params: Record<string, string> = {}): Promise<Response> {
  const page = await callWithEnv({}, authorizeUrl(client, params));
  expect(page.status).toBe(200);
  return post('/login', { tx: hiddenTx(await page.text()), username: user.username, password: user.password });
}

function fakeStep(answer: (journey: Journey) => Response | null = () => null): RemainingStep {
  return {
    name: 'fake',
    async run(_c, journey) {
      trace.push('fake');
      seen.push(journey);
      return answer(journey);
    },
  };
}

/** Each table entry, logging its name before it runs; the steps themselves are unchanged. */
function traced(step: RemainingStep): RemainingStep {
  return { name: step.name, run: (c, journey) => (trace.push(step.name), step.run(c, journey)) };
}

async function expectCodeFor(res: Response, client: TestClient, user: TestUser): Promise<void> {
  const params = expectRedirect(res, client, 303);
  expect(params.get('state')).toBe('st-123');
  expect(params.get('iss')).toBe(ISSUER);
  const token = await exchange(client, params.get('code')!);
  expect(token.status).toBe(200);
  expect(decodeJwt((await token.json<{ id_token: string }>()).id_token).sub).toBe(user.id);
}

describe('a step added to REMAINING_STEPS', () => {
  it('runs after the table steps before it and before the code, which is issued and redeemed as before', async () => {
    const client = await createClient();
    const user = await createUser();
    REMAINING_STEPS.splice(0, REMAINING_STEPS.length, ...ORIGINAL.map(traced), fakeStep());
    await expectCodeFor(await logIn(client, user), client, user);
    expect(trace).toEqual(['second-factor', 'password-change', 'step-up', 'consent', 'fake']);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.session.userId).toBe(user.id);
    expect(seen[0]!.signedInNow).toBe(true);
    expect(seen[0]!.request.clientId).toBe(client.clientId);
  });

  it('runs where it is put: between the second factor and step-up, before the consent page is shown', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    REMAINING_STEPS.splice(REMAINING_STEPS.findIndex((s) => s.name === 'consent'), 0, fakeStep());
    const res = await logIn(client, user);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="allow"');
    expect(trace).toEqual(['fake']);
  });

  it('placed after consent, runs once the user allows, and the journey still ends with a code', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    REMAINING_STEPS.push(fakeStep());
    const consentPage = await logIn(client, user);
    expect(trace).toEqual([]);
    const res = await post('/consent', { tx: hiddenTx(await consentPage.text()), decision: 'allow' }, sessionCookie(consentPage));
    expect(trace).toEqual(['fake']);
    await expectCodeFor(res, client, user);
  });

  it('answers in place of the code when it returns a response: the steps after it and finish do not run', async () => {
    const client = await createClient();
    const user = await createUser();
    const consent = ORIGINAL.findIndex((s) => s.name === 'consent');
    const secondFactor = fakeStep(() => new Response('second factor', { status: 200 }));
    REMAINING_STEPS.splice(0, REMAINING_STEPS.length, ...ORIGINAL.slice(0, consent).map(traced), secondFactor, ...ORIGINAL.slice(consent).map(traced));
    const res = await logIn(client, user);
    expect(res.status).toBe(200);
    expect(res.headers.get('Location')).toBeNull();
    expect(await res.text()).toBe('second factor');
    expect(trace).toEqual(['second-factor', 'password-change', 'step-up', 'fake']);
  });

  it('also runs when a signed-in browser comes back to /authorize, told the user did not sign in just now', async () => {
    const client = await createClient();
    const user = await createUser();
    const cookie = sessionCookie(await logIn(client, user));
    REMAINING_STEPS.push(fakeStep());
    const res = await callWithEnv({}, authorizeUrl(client), { headers: { Cookie: cookie } });
    expect(expectRedirect(res, client).get('code')).toBeTruthy();
    expect(seen.map((j) => j.signedInNow)).toEqual([false]);
  });

  it('leaves the table as it was once removed: the sign-in page and the code come as before', async () => {
    const client = await createClient();
    const user = await createUser();
    const page = await callWithEnv({}, authorizeUrl(client));
    expect(isLoginPage(await page.text())).toBe(true);
    expect(REMAINING_STEPS.map((s) => s.name)).toEqual(['second-factor', 'password-change', 'step-up', 'consent']);
    await expectCodeFor(await logIn(client, user), client, user);
  });
});
