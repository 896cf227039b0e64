// The second-factor step after the first factor: the policy or an acr "2" request asks for one (docs/authentication.md).
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { OAuthError } from '../../oauth/errors.ts';
import { replicaReader } from '../../store/db.ts';
import { findUserById } from '../../store/users.ts';
import type { Journey, RemainingStep } from '../journey.ts';
import { asksForSecondFactor, decideSecondFactor, mfaPolicyFor } from '../mfa-policy.ts';
import { isDeviceRemembered } from '../remember-device.ts';
import { enrollableFactors, enrolledFactors, refuseSecondFactor, showSecondFactorPage } from '../second-factor-page.ts';

/** A remember-device cookie for this user, checked against the user row (the sign-in's, or one replica read). */
async function rememberedFor(c: Context<AppEnv>, { session, user }: Journey): Promise<boolean> {
  const row = user ?? (await findUserById(replicaReader(c.env.DB), session.userId));
  return row !== null && (await isDeviceRemembered(c, row));
}

export const secondFactor: RemainingStep = {
  name: 'second-factor',
  async run(c, journey) {
    const { client, request, session } = journey;
    // Two factors already ("mfa" in amr): a passkey with user verification, or a step-up in this session.
    if (session.acr === '2') return null;
    const policy = mfaPolicyFor(c.get('services').config, client);
    const acr = request.acr ?? null;
    if (policy === 'off' && !asksForSecondFactor(acr)) return null;
    const enrolled = await enrolledFactors(c, session.userId);
    // Remember-device spares the policy only; it is read only when it could change the answer.
    const remembered = enrolled.length > 0 && !asksForSecondFactor(acr) && (await rememberedFor(c, journey));
    const need = decideSecondFactor({ policy, acr, enrolled: enrolled.length > 0, remembered, promptNone: request.prompt.includes('none') });
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
