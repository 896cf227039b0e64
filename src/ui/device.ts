// The device flow's verification pages (RFC 8628 §3.3): enter the code, approve or deny, done.
import { html } from 'hono/html';
import { DecisionForm, ScopeList } from './decision.ts';
import { fill, Layout, type Html, type PageBase } from './layout.ts';

export function DeviceCodePage({ branding, t, userCode, error }: PageBase & { userCode: string; error: string | null }): Html {
  return Layout({
    title: t.connectDevice,
    branding,
    t,
    children: [
      html`<h1>${t.connectDevice}</h1>`,
      html`<p class="lead">${t.enterDeviceCode}</p>`,
      error ? html`<p class="alert" role="alert" id="code-error">${error}</p>` : null,
      html`<form method="post" action="/device">`,
      html`<label for="user_code">${t.code}</label>`,
      html`<input id="user_code" name="user_code" type="text" value="${userCode}" required="" maxlength="16" autocomplete="one-time-code"${[
        html` autocapitalize="characters" spellcheck="false" autofocus="" class="code"`,
        error ? html` aria-describedby="code-error"` : null,
      ]}/>`,
      html`<button type="submit">${t.continue}</button>`,
      html`</form>`,
    ],
  });
}

export interface DeviceApprovePageProps extends PageBase {
  clientName: string;
  userCode: string;
  username: string;
  scopes: string[];
  transaction: string;
}

export function DeviceApprovePage({ branding, t, clientName, userCode, username, scopes, transaction }: DeviceApprovePageProps): Html {
  return Layout({
    title: t.allowDevice,
    branding,
    t,
    children: [
      html`<h1>${t.allowClient(clientName)}</h1>`,
      html`<p class="lead">${fill(t.deviceWantsTo, html`<strong class="code">${userCode}</strong>`)}</p>`,
      ScopeList({ t, scopes }),
      html`<p class="muted">${t.ownDeviceOnly(username)}</p>`,
      DecisionForm({ action: '/device/decision', transaction, yes: ['allow', t.allow], no: ['deny', t.deny] }),
    ],
  });
}

export function DeviceDonePage({ branding, t, approved }: PageBase & { approved: boolean }): Html {
  const title = approved ? t.deviceConnected : t.requestDenied;
  return Layout({
    title,
    branding,
    t,
    children: [
      html`<h1>${title}</h1>`,
      html`<p class="lead">${approved ? t.deviceContinues : t.deviceRefused}</p>`,
    ],
  });
}
