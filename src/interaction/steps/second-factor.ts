// The second-factor step after the first factor: the policy or an acr "2" request asks for one (docs/authentication.md).
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import type { AcrRequest } from '../../oauth/acr.ts';
import { OAuthError } from '../../oauth/errors.ts';
import type { Client } from '../../store/clients.ts';
import type { MfaFacts } from '../../store/mfa-facts.ts';
import { replicaReader } from '../../store/db.ts';
import { findUserById, type User } from '../../store/users.ts';
import type { RemainingStep } from '../journey.ts';
import { asksForSecondFactor, decideSecondFactor, mayNeedSecondFactor, mfaPolicyFor } from '../mfa-policy.ts';
import { readRememberedDevice, remembersUser } from '../remember-device.ts';
import { enrollableFactors, enrolledFactors, refuseSecondFactor, showSecondFactorPage } from '../second-factor-page.ts';
import type { SecondFactorMethod } from '../second-factors.ts';
import type { BrowserSession } from '../session.ts';

interface SecondFactorQuestion {
  client: Client;
  session: BrowserSession;
  acr: AcrRequest | null;
  promptNone: boolean;
  /** The user row when the caller has it (a sign-in just now): remember-device is checked against it. */
  user?: User;
  /** The user's second factors when read with the session; else `user.mfa`, else they are read. */
  factors?: MfaFacts;
}

/** What the session needs now, and the factors the user has (read only when the policy or the request asks). */
export async function findSecondFactorNeed(c: Context<AppEnv>, q: SecondFactorQuestion): Promise<{ need: ReturnType<typeof decideSecondFactor>; enrolled: SecondFactorMethod[] }> {
  // Two factors already ("mfa" in amr), or policy off and no acr "2" asked: the factors are not even read.
  const policy = mfaPolicyFor(c.get('services').config, q.client);
  if (!mayNeedSecondFactor(policy, q.session.acr, q.acr)) return { need: null, enrolled: [] };
  const enrolled = await enrolledFactors(c, q.session.userId, q.factors ?? q.user?.mfa);
  // Remember-device spares the policy only, so it is read only when it could change the answer.
  const remembered = enrolled.length > 0 && !asksForSecondFactor(q.acr) && (await rememberedFor(c, q));
  return { need: decideSecondFactor({ policy, acr: q.acr, enrolled: enrolled.length > 0, remembered, promptNone: q.promptNone }), enrolled };
}

/** The cookie first: the user row (what voids the cookie) is read only when it names this session's user. */
async function rememberedFor(c: Context<AppEnv>, { session, user }: SecondFactorQuestion): Promise<boolean> {
  const device = await readRememberedDevice(c);
  if (!device || device.userId !== session.userId) return false;
  const row = user ?? (await findUserById(replicaReader(c.env.DB), session.userId));
  return row !== null && remembersUser(device, row);
}

export const secondFactor: RemainingStep = {
  name: 'second-factor',
  async run(c, journey) {
    const { client, request, session, user } = journey;
    const acr = request.acr ?? null;
    const { need, enrolled } = await findSecondFactorNeed(c, { client, session, user, factors: journey.factors, acr, promptNone: request.prompt.includes('none') });
    if (need === null) return null;
    if (need instanceof OAuthError) return refuseSecondFactor(c, client, request, need);
    const factors = need === 'verify' ? enrolled : enrollableFactors();
    if (factors.length === 0) {
      const code = asksForSecondFactor(acr) ? 'unmet_authentication_requirements' : 'access_denied';
      return refuseSecondFactor(c, client, request, new OAuthError(code, 'no second factor can be set up here'));
    }
    return showSecondFactorPage(c, journey, need, factors);
  },
};
