// The consent page: which application asks for what, allow or deny.
import type { Branding } from '../env.ts';
import { Layout } from './layout.tsx';

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your account identifier)',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in to it when you are not using it',
};

export interface ConsentPageProps {
  branding: Branding;
  clientName: string;
  username: string;
  scopes: string[];
  transaction: string;
}

export function ConsentPage({ branding, clientName, username, scopes, transaction }: ConsentPageProps) {
  return (
    <Layout title="Allow access" branding={branding}>
      <h1>Allow access?</h1>
      <p class="lead">
        <strong>{clientName}</strong> wants to:
      </p>
      <ul class="scopes">
        {scopes.map((s) => (
          <li>{SCOPE_DESCRIPTIONS[s] ?? s}</li>
        ))}
      </ul>
      <p class="muted">Signed in as {username}</p>
      <form method="post" action="/consent" class="actions">
        <input type="hidden" name="tx" value={transaction} />
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      </form>
    </Layout>
  );
}
