// The consent step (OIDC Core §3.1.2.4): ask when the policy in src/oauth/consent.ts says so.
import { consentHost, mustAskConsent } from '../../oauth/consent.ts';
import { OAuthError } from '../../oauth/errors.ts';
import { replicaReader } from '../../store/db.ts';
import { findUserById } from '../../store/users.ts';
import { ConsentPage } from '../../ui/consent.ts';
import type { RemainingStep } from '../journey.ts';
import { pageBase, redirectWithError, renderLogin } from '../render.ts';
import { sealTransaction } from '../transaction.ts';

export const askConsent: RemainingStep = {
  name: 'consent',
  async run(c, { client, request, session, consented, user: signedIn }) {
    if (!mustAskConsent(client, request, consented)) return null;
    // OIDC Core §3.1.2.6: prompt=none cannot show the consent page.
    if (request.prompt.includes('none')) return redirectWithError(c, request, new OAuthError('consent_required', 'the user has not allowed this client'));
    const user = signedIn ?? (await findUserById(replicaReader(c.env.DB), session.userId));
    // The request goes back unchanged: dropping prompt=consent would let the next sign-in skip consent.
    if (!user || user.disabled) return renderLogin(c, client, request);
    const transaction = await sealTransaction(c, { request, consentSession: session.idHash });
    const clientHost = consentHost(client, request.redirectUri);
    return c.html(ConsentPage({ ...pageBase(c), clientName: client.name, clientHost, username: user.username, scopes: request.scope, transaction }));
  },
};
