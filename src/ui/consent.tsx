// The consent page: which application asks for what, allow or deny.
import type { Branding } from '../env.ts';
import { DecisionForm, ScopeList } from './decision.tsx';
import { Layout } from './layout.tsx';


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
      <ScopeList scopes={scopes} />
      <p class="muted">Signed in as {username}</p>
      <DecisionForm action="/consent" transaction={transaction} yes={['allow', 'Allow']} no={['deny', 'Deny']} />
    </Layout>
  );
}
