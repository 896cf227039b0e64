// The device flow's verification pages (RFC 8628 §3.3): enter the code, approve or deny, done.
import { html } from 'hono/html';
import type { Branding } from '../config.ts';
import { DecisionForm, ScopeList } from './decision.ts';
import { Layout, type Html } from './layout.ts';

export function DeviceCodePage({ branding, userCode, error }: { branding: Branding; userCode: string; error: string | null }): Html {
  return Layout({
    title: 'Connect a device',
    branding,
    children: [
      html`<h1>Connect a device</h1>`,
      html`<p class="lead">Enter the code shown on your device.</p>`,
      error ? html`<p class="alert" role="alert" id="code-error">${error}</p>` : null,
      html`<form method="post" action="/device">`,
      html`<label for="user_code">Code</label>`,
      html`<input id="user_code" name="user_code" type="text" value="${userCode}" required="" maxlength="16" autocomplete="one-time-code"${[
        html` autocapitalize="characters" spellcheck="false" autofocus="" class="code"`,
        error ? html` aria-describedby="code-error"` : null,
      ]}/>`,
      html`<button type="submit">Continue</button>`,
      html`</form>`,
    ],
  });
}

export interface DeviceApprovePageProps {
  branding: Branding;
  clientName: string;
  userCode: string;
  username: string;
  scopes: string[];
  transaction: string;
}

export function DeviceApprovePage({ branding, clientName, userCode, username, scopes, transaction }: DeviceApprovePageProps): Html {
  return Layout({
    title: 'Allow device',
    branding,
    children: [
      html`<h1>Allow ${clientName}?</h1>`,
      html`<p class="lead">A device showing the code <strong class="code">${userCode}</strong> wants to:</p>`,
      ScopeList({ scopes }),
      html`<p class="muted">Signed in as ${username}. Only allow it if you started this on your own device.</p>`,
      DecisionForm({ action: '/device/decision', transaction, yes: ['allow', 'Allow'], no: ['deny', 'Deny'] }),
    ],
  });
}

export function DeviceDonePage({ branding, approved }: { branding: Branding; approved: boolean }): Html {
  const title = approved ? 'Device connected' : 'Request denied';
  return Layout({
    title,
    branding,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="lead">${approved ? 'You can return to your device; it will continue by itself.' : 'The device was not given access.'}</p>`,
    ],
  });
}
