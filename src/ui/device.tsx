// The device flow's verification pages (RFC 8628 §3.3): enter the code, approve or deny, done.
import type { Branding } from '../env.ts';
import { DecisionForm, ScopeList } from './decision.tsx';
import { Layout } from './layout.tsx';

export function DeviceCodePage({ branding, userCode, error }: { branding: Branding; userCode: string; error: string | null }) {
  return (
    <Layout title="Connect a device" branding={branding}>
      <h1>Connect a device</h1>
      <p class="lead">Enter the code shown on your device.</p>
      {error ? (
        <p class="alert" role="alert" id="code-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/device">
        <label for="user_code">Code</label>
        <input
          id="user_code" name="user_code" type="text" value={userCode} required maxlength={16} autocomplete="one-time-code"
          autocapitalize="characters" spellcheck={false} autofocus class="code" aria-describedby={error ? 'code-error' : undefined}
        />
        <button type="submit">Continue</button>
      </form>
    </Layout>
  );
}

export interface DeviceApprovePageProps {
  branding: Branding;
  clientName: string;
  userCode: string;
  username: string;
  scopes: string[];
  transaction: string;
}

export function DeviceApprovePage({ branding, clientName, userCode, username, scopes, transaction }: DeviceApprovePageProps) {
  return (
    <Layout title="Allow device" branding={branding}>
      <h1>Allow {clientName}?</h1>
      <p class="lead">
        A device showing the code <strong class="code">{userCode}</strong> wants to:
      </p>
      <ScopeList scopes={scopes} />
      <p class="muted">Signed in as {username}. Only allow it if you started this on your own device.</p>
      <DecisionForm action="/device/decision" transaction={transaction} yes={['allow', 'Allow']} no={['deny', 'Deny']} />
    </Layout>
  );
}

export function DeviceDonePage({ branding, approved }: { branding: Branding; approved: boolean }) {
  return (
    <Layout title={approved ? 'Device connected' : 'Request denied'} branding={branding}>
      <h1>{approved ? 'Device connected' : 'Request denied'}</h1>
      <p class="lead">{approved ? 'You can return to your device; it will continue by itself.' : 'The device was not given access.'}</p>
    </Layout>
  );
}
