// The second factor on the page: a code at sign-in, the enrolment (QR code drawn by the service,
// the secret to type, the first code), and the 10 recovery codes shown once.
import { h, instantiate, say } from './lib.js';

/** Messages of the API's answers here, in words for the person at the keyboard. */
function codeRefusal(status, body) {
  if (status === 401) return body?.message?.includes('reconnectez') ? 'Cette étape de connexion a expiré ou a épuisé ses essais : reconnectez-vous.' : 'Code incorrect ou déjà utilisé : saisissez le code affiché maintenant par l’application.';
  if (status === 429) return body?.error === 'account_locked' ? body.message : 'Trop d’essais : patientez une minute.';
  if (status === 400) return 'Saisissez les 6 chiffres affichés par l’application, ou un code de secours.';
  return 'Vérification impossible pour le moment : réessayez.';
}

async function post(path, body, token) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    return { status: 0, body: { message: 'Le service ne répond pas : vérifiez la connexion et réessayez.' } };
  }
  return { status: res.status, body: await res.json().catch(() => null) };
}

/**
 * Asks for the second factor in `host`: with `mfaToken` from the sign-in (`mode` "required" or
 * "enrol"), or for a signed-in user (`token`) adding one. Resolves with the answer of
 * POST /auth/mfa/verify (the session) once the code was accepted and, after an enrolment, the
 * recovery codes acknowledged.
 */
export function secondFactor(host, { mode, mfaToken, token, prefix = 'mfa' }) {
  const { fragment, parts } = instantiate('second-factor-template', prefix);
  host.replaceChildren(fragment);
  host.hidden = false;
  return new Promise((resolve) => {
    const start = async () => {
      if (mode !== 'enrol') return parts.code.focus();
      const res = await post('/auth/mfa/enrol', mfaToken ? { mfaToken } : {}, token);
      if (res.status !== 200) {
        say(parts.error, res.status === 409 ? 'Un second facteur est déjà actif sur ce compte.' : codeRefusal(res.status, res.body));
        return;
      }
      parts.qr.src = res.body.qrCode;
      parts.secret.textContent = res.body.secret.replace(/(.{4})/g, '$1 ').trim();
      parts.enrol.hidden = false;
      parts.code.focus();
    };
    parts.form.addEventListener('submit', async (event) => {
      event.preventDefault();
      say(parts.error, '');
      const code = parts.code.value.trim();
      if (!code) return say(parts.error, 'Saisissez le code affiché par l’application.');
      const button = parts.form.querySelector('button[type="submit"]');
      button.disabled = true;
      const res = await post('/auth/mfa/verify', { ...(mfaToken ? { mfaToken } : {}), code }, token);
      button.disabled = false;
      if (res.status !== 200) {
        say(parts.error, codeRefusal(res.status, res.body));
        parts.code.select();
        return parts.error.focus();
      }
      if (!res.body.recoveryCodes) return resolve(res.body);
      parts.form.hidden = true;
      parts.codes.replaceChildren(...res.body.recoveryCodes.map((c) => h('li', {}, c)));
      parts.recovery.hidden = false;
      parts.recovery.focus();
      parts.done.addEventListener('click', () => resolve(res.body), { once: true });
    });
    start();
  });
}
