// Logout pages: ask before signing out when the request cannot be tied to the session, then confirm.
import type { Branding } from '../env.ts';
import { DecisionForm } from './decision.tsx';
import { Layout } from './layout.tsx';

export function LogoutConfirmPage({ branding, clientName, transaction }: { branding: Branding; clientName: string | null; transaction: string }) {
  return (
    <Layout title="Sign out" branding={branding}>
      <h1>Sign out?</h1>
      <p class="lead">{clientName ? `${clientName} asks to sign you out of ${branding.productName}.` : `Sign out of ${branding.productName}?`}</p>
      <DecisionForm action="/logout/confirm" transaction={transaction} yes={['logout', 'Sign out']} no={['stay', 'Stay signed in']} />
    </Layout>
  );
}

export function SignedOutPage({ branding, signedOut }: { branding: Branding; signedOut: boolean }) {
  return (
    <Layout title={signedOut ? 'Signed out' : 'Still signed in'} branding={branding}>
      <h1>{signedOut ? 'You are signed out' : 'You are still signed in'}</h1>
      <p class="muted">You can close this window.</p>
    </Layout>
  );
}
