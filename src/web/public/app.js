// The web front: plain ES modules served by the app, talking only to the public API (/api/v1).
const API = '/api/v1';
const SESSION = 'snp.session';
const $ = (id) => document.getElementById(id);

const ROLE_NAMES = { secretary: 'secrétariat', gp: 'médecin', regulator: 'régulation', coordinator: 'coordination', admin: 'administration' };

function session() {
  try { return JSON.parse(sessionStorage.getItem(SESSION) ?? 'null'); } catch { return null; }
}

/** When the token stops being valid (its `exp`, seconds), read from the token itself. */
function expiresAt(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000;
  } catch {
    return 0;
  }
}

let expiryTimer;
/** Ends the session when its token expires, with a word for the user rather than failing calls. */
function watchExpiry() {
  clearTimeout(expiryTimer);
  const s = session();
  if (!s) return;
  const left = expiresAt(s.token) - Date.now();
  if (left <= 0) return signOut('Votre session a expiré : reconnectez-vous.');
  expiryTimer = setTimeout(() => signOut('Votre session a expiré : reconnectez-vous.'), Math.min(left, 2 ** 31 - 1));
}

/** Calls the API with the session's token; a 401 ends the session (expired or revoked). */
export async function api(path, options = {}) {
  const s = session();
  const res = await fetch(`${API}${path}`, {
    ...options,
    headers: { 'content-type': 'application/json', ...(s ? { authorization: `Bearer ${s.token}` } : {}), ...(options.headers ?? {}) },
  });
  if (res.status === 401 && s) {
    signOut('Votre session a expiré : reconnectez-vous.');
    throw new Error('session expirée');
  }
  return res;
}

function notify(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

function show() {
  const s = session();
  $('sign-in').hidden = !!s;
  $('who').hidden = $('sign-out').hidden = !s;
  for (const page of document.querySelectorAll('section[data-role]')) page.hidden = !s || !page.dataset.role.split(' ').includes(s.user.role);
  if (s) {
    $('who').textContent = `${s.user.email} (${ROLE_NAMES[s.user.role] ?? s.user.role})`;
    document.querySelector('section[data-role]:not([hidden]) h1')?.focus?.();
  } else {
    $('email').focus();
  }
}

function signOut(message) {
  sessionStorage.removeItem(SESSION);
  notify(message);
  show();
}

async function signIn(event) {
  event.preventDefault();
  const error = $('sign-in-error');
  error.hidden = true;
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) {
    error.textContent = 'Indiquez votre adresse e-mail et votre mot de passe.';
    error.hidden = false;
    return;
  }
  const res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) {
    error.textContent =
      res.status === 401 ? 'Adresse e-mail ou mot de passe incorrect.' : res.status === 429 ? 'Trop d’essais : patientez une minute.' : 'Connexion impossible pour le moment : réessayez.';
    error.hidden = false;
    return;
  }
  const body = await res.json();
  sessionStorage.setItem(SESSION, JSON.stringify({ token: body.accessToken, user: body.user }));
  $('password').value = '';
  notify('');
  show();
  watchExpiry();
}

$('sign-in-form').addEventListener('submit', (e) => signIn(e).catch(() => {
  $('sign-in-error').textContent = 'Connexion impossible pour le moment : réessayez.';
  $('sign-in-error').hidden = false;
}));
$('sign-out').addEventListener('click', () => signOut('Vous êtes déconnecté.'));
show();
watchExpiry();
