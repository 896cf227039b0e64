// The device flow's verification pages (RFC 8628 §3.3): enter the code, approve or deny, done.
import type { Branding } from '../env.ts';
import { SCOPE_DESCRIPTIONS } from './consent.tsx';
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
      <ul class="scopes">
        {scopes.map((s) => (
          <li>{SCOPE_DESCRIPTIONS[s] ?? s}</li>
        ))}
      </ul>
      <p class="muted">Signed in as {username}. Only allow it if you started this on your own device.</p>
      <form method="post" action="/device/decision" class="actions">
        <input type="hidden" name="tx" value={transaction} />
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      </form>
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
