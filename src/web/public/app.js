// The web front: plain ES modules served by the app, talking only to the public API (/api/v1).
// Sign-in, each role's page, sign-out and session expiry.
import { $, api, communeLabel, ROLE_NAMES, saveSession, say, session, whenExpired } from './lib.js';
import { mountFinder } from './finder.js';
import { mountBookings, mountRequests } from './lists.js';
import { mountGp } from './gp.js';
import { mountRegulator } from './regulator.js';
import { mountCoordination } from './coordination.js';

const NOTICE = 'snp.notice';
const EXPIRED = 'Votre session a expiré : reconnectez-vous.';

/** When the token stops being valid (its `exp`, seconds), read from the token itself. */
function expiresAt(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000;
  } catch {
    return 0;
  }
}

/** Ends the session and starts the page afresh (no state of the last user stays), with a word for the user. */
function signOut(message) {
  saveSession(null);
  sessionStorage.setItem(NOTICE, message);
  location.reload();
}
whenExpired(() => signOut(EXPIRED));

async function secretaryPage(user) {
  let practice;
  try {
    const [own] = user.practiceId ? (await api('/practices', { query: { id: user.practiceId } })).practices : [];
    if (own) {
      const { communes } = await api('/communes', { query: { q: own.communeCode } });
      const commune = communes.find((c) => c.code === own.communeCode);
      if (commune) practice = { communeCode: commune.code, communeName: commune.name, communeLabel: communeLabel(commune) };
    }
  } catch {
    /* « Ville du cabinet » is a shortcut: the search works without it */
  }
  const bookings = mountBookings($('secretary-bookings'), { user, title: 'Rendez-vous du cabinet, aujourd’hui et demain (pris ou reçus)' });
  const requests = mountRequests($('secretary-requests'));
  mountFinder($('secretary-finder'), { prefix: 'sec', practice, onChange: () => Promise.all([bookings.refresh(), requests.refresh()]) });
  setInterval(() => Promise.all([bookings.refresh(), requests.refresh()]), 30_000);
}

const PAGES = {
  secretary: secretaryPage,
  gp: mountGp,
  regulator: mountRegulator,
  coordinator: mountCoordination,
  admin: mountCoordination,
};

function start() {
  const notice = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  say($('notice'), notice);

  const s = session();
  if (s && expiresAt(s.token) <= Date.now()) return signOut(EXPIRED);
  $('sign-in').hidden = !!s;
  $('who').hidden = $('sign-out').hidden = !s;
  // Only the signed-in role's page stays in the document (the others are not just hidden).
  for (const page of document.querySelectorAll('section[data-role]')) {
    if (s && page.dataset.role.split(' ').includes(s.user.role)) page.hidden = false;
    else page.remove();
  }
  if (!s) {
    $('email').focus();
    return;
  }
  $('who').textContent = `${s.user.email} (${ROLE_NAMES[s.user.role] ?? s.user.role})`;
  document.title = `${document.querySelector('section[data-role]:not([hidden]) h1')?.textContent ?? 'Accueil'} — CPTS`;
  const left = expiresAt(s.token) - Date.now();
  setTimeout(() => signOut(EXPIRED), Math.min(left, 2 ** 31 - 1));
  // Five minutes before, a word: the call under way can be finished before signing in again.
  if (left > 6 * 60_000) setTimeout(() => say($('notice'), 'Votre session se termine dans 5 minutes : terminez la réservation en cours, puis reconnectez-vous.'), Math.min(left - 5 * 60_000, 2 ** 31 - 1));
  PAGES[s.user.role]?.(s.user);
}

async function signIn(event) {
  event.preventDefault();
  const error = $('sign-in-error');
  say(error, '');
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) return say(error, 'Indiquez votre adresse e-mail et votre mot de passe.');
  let res;
  try {
    res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  } catch {
    return say(error, 'Le service ne répond pas : vérifiez la connexion et réessayez.');
  }
  if (!res.ok) {
    return say(
      error,
      res.status === 401
        ? 'Adresse e-mail ou mot de passe incorrect.'
        : res.status === 400
          ? 'Vérifiez l’adresse e-mail : elle doit être de la forme nom@domaine.fr.'
          : res.status === 429
            ? 'Trop d’essais : patientez une minute.'
            : 'Connexion impossible pour le moment : réessayez.',
    );
  }
  const body = await res.json();
  saveSession({ token: body.accessToken, user: { ...body.user, email } });
  location.reload();
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => signOut('Vous êtes déconnecté.'));
start();
