// The acr check after the second-factor step (OIDC Core §3.1.2.1): met, sign in again, or an error redirect; acr "2"
// itself is reached by the second factor (steps/second-factor.ts), so this step handles what that one leaves.
import { checkAcr } from '../../oauth/acr.ts';
import { OAuthError } from '../../oauth/errors.ts';
import type { RemainingStep } from '../journey.ts';
import { redirectWithError, renderLogin } from '../render.ts';

export const stepUp: RemainingStep = {
  name: 'step-up',
  async run(c, { client, request, session, signedInNow }) {
    // Transactions sealed before acr was parsed have no acr member.
    const acr = checkAcr(request.acr ?? null, session.acr, signedInNow, request.prompt.includes('none'));
    if (acr instanceof OAuthError) return redirectWithError(c, request, acr);
    if (acr === 'sign-in') return renderLogin(c, client, request);
    return null;
  },
};
