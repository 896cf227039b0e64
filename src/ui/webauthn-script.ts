// /assets/webauthn.js: runs the ceremony each [data-webauthn] block describes, then posts its form (CSP script-src 'self').
// Plain ES2017 in a string: the Worker serves it as is; forms work without it (the password path needs none).
export const WEBAUTHN_SCRIPT = `(() => {
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  const list = (ids) => JSON.parse(ids || '[]').map((id) => ({ type: 'public-key', id: bytes(id) }));
  const answer = (mode, cred) => {
    const r = cred.response;
    const common = { id: cred.id, clientDataJSON: b64(r.clientDataJSON) };
    if (mode === 'create') return { ...common, attestationObject: b64(r.attestationObject), transports: r.getTransports ? r.getTransports() : [] };
    return { ...common, authenticatorData: b64(r.authenticatorData), signature: b64(r.signature), userHandle: r.userHandle ? b64(r.userHandle) : null };
  };
  const options = (d) => d.webauthn === 'create' ? {
    challenge: bytes(d.challenge), rp: { id: d.rpId, name: d.rpName }, user: { id: bytes(d.userId), name: d.userName, displayName: d.userName },
    pubKeyCredParams: [-7, -8, -257].map((alg) => ({ type: 'public-key', alg })), excludeCredentials: list(d.credentials),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' }, attestation: 'none', timeout: 300000,
  } : { challenge: bytes(d.challenge), rpId: d.rpId, allowCredentials: list(d.credentials), userVerification: 'required', timeout: 300000 };
  for (const block of document.querySelectorAll('[data-webauthn]')) {
    if (block.dataset.ready || !window.PublicKeyCredential) continue;
    block.dataset.ready = '1';
    const d = block.dataset, form = block.closest('form'), button = block.querySelector('button'), alert = block.querySelector('.alert');
    let pending = null;
    const run = (mediation) => {
      if (pending) pending.abort();
      pending = new AbortController();
      const request = { publicKey: options(d), signal: pending.signal };
      if (mediation) request.mediation = mediation;
      return (d.webauthn === 'create' ? navigator.credentials.create(request) : navigator.credentials.get(request)).then((cred) => {
        block.querySelector('input[name=credential]').value = JSON.stringify(answer(d.webauthn, cred));
        form.submit();
      });
    };
    const failed = (e) => { if (e && e.name !== 'AbortError') { alert.hidden = false; } };
    button.hidden = false;
    button.addEventListener('click', () => run(null).catch(failed));
    if (d.conditional !== undefined && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then((ok) => ok && run('conditional').catch(() => undefined));
    }
  }
})();
`;
