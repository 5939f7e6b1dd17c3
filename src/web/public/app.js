// The web front: plain ES modules served by the app, talking only to the public API (/api/v1).
// Sign-in (password and second factor, or Pro Santé Connect), each role's page, « Mon compte »,
// sign-out and session expiry.
import { $, api, communeLabel, ROLE_NAMES, saveSession, say, session, whenExpired } from './lib.js';
import { secondFactor } from './second-factor.js';
import { mountFinder } from './finder.js';
import { mountBookings, mountRequests } from './lists.js';
import { mountGp } from './gp.js';
import { mountRegulator } from './regulator.js';
import { mountCoordination } from './coordination.js';

const NOTICE = 'snp.notice';
const EXPIRED = 'Votre session a expiré : reconnectez-vous.';
const AGENDA = 'snp.agenda';
const AGENDA_PATH = /^\/agenda\/([^/]*)\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Who books from a GP's agenda opened by its link: the regulation (the SAS's link) and the secretariats. */
const AGENDA_ROLES = new Set(['regulator', 'secretary']);

/**
 * The GP's agenda a link opened (`/agenda/<practitioner id>?origin=sas`: a slot's link on the SAS
 * platform), kept for this tab until a page shows it: signing in first (password and second factor,
 * or Pro Santé Connect, which leaves the page) comes back to it. `{invalid: true}` for a link that
 * names no agenda.
 */
function agendaLink() {
  const m = AGENDA_PATH.exec(location.pathname);
  if (m) {
    let id = '';
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      /* a malformed escape names no agenda */
    }
    if (!UUID.test(id)) {
      sessionStorage.removeItem(AGENDA);
      return { invalid: true };
    }
    const link = { practitionerId: id.toLowerCase(), origin: new URLSearchParams(location.search).get('origin') === 'sas' ? 'sas' : undefined };
    sessionStorage.setItem(AGENDA, JSON.stringify(link));
    return link;
  }
  try {
    return JSON.parse(sessionStorage.getItem(AGENDA) ?? 'null');
  } catch {
    return null;
  }
}
const agendaPath = (link) => `/agenda/${link.practitionerId}${link.origin ? `?origin=${link.origin}` : ''}`;

/** When the token stops being valid (its `exp`, seconds), read from the token itself. */
function expiresAt(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000;
  } catch {
    return 0;
  }
}

/**
 * Ends the session and starts the page afresh (no state of the last user stays), with a word for
 * the user. `revoke`: the server refuses the token from now on (« Se déconnecter »).
 */
let leaving = false;
async function signOut(message, { revoke = false } = {}) {
  // The first reason stands: a list refreshed meanwhile, refused with the revoked token, must not
  // turn « Vous êtes déconnecté » into « session expirée ».
  if (leaving) return;
  leaving = true;
  const s = session();
  if (revoke && s) {
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, keepalive: true }).catch(() => undefined);
  }
  saveSession(null);
  sessionStorage.setItem(NOTICE, message);
  // Signing out leaves the agenda a link opened; a session that expired comes back to it after signing in.
  if (revoke) {
    sessionStorage.removeItem(AGENDA);
    history.replaceState(null, '', '/');
  }
  location.reload();
}
whenExpired(() => signOut(EXPIRED));

/** Why Pro Santé Connect did not sign the person in (`?signin_error=`), in their words. */
const PSC_ERRORS = {
  psc_unavailable: 'Pro Santé Connect n’est pas disponible pour le moment : connectez-vous avec votre adresse e-mail et votre mot de passe.',
  psc_refused: 'Connexion Pro Santé Connect annulée.',
  bad_state: 'La connexion Pro Santé Connect a expiré ou a déjà servi : recommencez.',
  psc_error: 'Pro Santé Connect n’a pas pu confirmer votre identité : recommencez.',
  unknown_person: 'Votre carte CPS ou e-CPS est valide, mais aucun compte de la CPTS ne correspond à votre numéro RPPS : demandez à la coordination de vous inscrire.',
  account_disabled: 'Votre compte est désactivé : adressez-vous à la coordination de la CPTS.',
  ambiguous_person: 'Plusieurs comptes correspondent à votre numéro RPPS : demandez à la coordination de n’en garder qu’un.',
};

/** Keeps the session the API answered, and starts the page as that user. */
function opened(body, email) {
  saveSession({ token: body.accessToken, user: { ...body.user, email: body.user.email ?? email } });
  // Back to the agenda a link opened before signing in, if any.
  const link = agendaLink();
  history.replaceState(null, '', link && !link.invalid ? agendaPath(link) : '/');
  location.reload();
}

/** Back from Pro Santé Connect: `?signin=<code>` is exchanged once for a session, `?signin_error=` explained. */
async function pscReturn() {
  const params = new URLSearchParams(location.search);
  const code = params.get('signin');
  const failure = params.get('signin_error');
  if (!code && !failure) return false;
  history.replaceState(null, '', '/');
  if (failure) {
    say($('sign-in-error'), PSC_ERRORS[failure] ?? PSC_ERRORS.psc_error);
    return false;
  }
  const res = await fetch('/api/v1/auth/psc/exchange', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) }).catch(() => null);
  if (!res?.ok) {
    say($('sign-in-error'), res?.status === 401 ? 'La connexion Pro Santé Connect a expiré ou a déjà servi : recommencez.' : 'Connexion impossible pour le moment : réessayez.');
    return false;
  }
  opened(await res.json());
  return true;
}

/** Shows « Se connecter avec Pro Santé Connect » when this deployment offers it. */
async function offerPsc() {
  try {
    const res = await fetch('/api/v1/auth/options');
    if (res.ok && (await res.json()).psc) $('psc-sign-in').hidden = false;
  } catch {
    /* the password form is always there */
  }
}

/** « Mon compte »: change one's password (every session then ends), add a second factor. */
function accountDialog(user) {
  const dialog = $('account-dialog');
  $('account').addEventListener('click', () => {
    say($('password-error'), '');
    $('password-form').reset();
    $('account-mfa-state').textContent = user.mfa ? 'Un second facteur protège ce compte.' : 'Ce compte se connecte avec son mot de passe seul.';
    $('account-mfa-start').hidden = !!user.mfa;
    $('account-second-factor').hidden = true;
    dialog.showModal();
  });
  $('account-close').addEventListener('click', () => dialog.close());
  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const currentPassword = $('current-password').value;
    const newPassword = $('new-password').value;
    if (newPassword.length < 10) return say($('password-error'), 'Le nouveau mot de passe doit faire au moins 10 caractères.');
    // Not through api(): here a 401 means a wrong current password, not an expired session.
    const res = await fetch('/api/v1/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session().token}` },
      body: JSON.stringify({ currentPassword, newPassword }),
    }).catch(() => null);
    if (!res) return say($('password-error'), 'Le service ne répond pas : vérifiez la connexion et réessayez.');
    if (res.status !== 204) {
      const body = await res.json().catch(() => null);
      return say($('password-error'), res.status === 401 ? 'Mot de passe actuel incorrect.' : body?.message ?? 'Changement impossible pour le moment : réessayez.');
    }
    signOut('Mot de passe changé : reconnectez-vous avec le nouveau (vos autres sessions sont fermées).');
  });
  $('account-mfa-start').addEventListener('click', async () => {
    $('account-mfa-start').hidden = true;
    await secondFactor($('account-second-factor'), { mode: 'enrol', token: session().token, prefix: 'account-mfa' });
    saveSession({ ...session(), user: { ...user, mfa: true } });
    user.mfa = true;
    $('account-second-factor').hidden = true;
    $('account-mfa-state').textContent = 'Un second facteur protège désormais ce compte : il vous sera demandé à chaque connexion.';
  });
}

async function secretaryPage(user, { agenda } = {}) {
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
  mountFinder($('secretary-finder'), { prefix: 'sec', practice, agenda, onChange: () => Promise.all([bookings.refresh(), requests.refresh()]) });
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
  const link = agendaLink();
  const words = [notice];
  if (link?.invalid) words.push('Ce lien ne désigne pas un agenda : vérifiez-le, ou cherchez un créneau par commune.');

  const s = session();
  if (s && expiresAt(s.token) <= Date.now()) return signOut(EXPIRED);
  $('sign-in').hidden = !!s;
  $('who').hidden = $('sign-out').hidden = $('account').hidden = !s;
  // Only the signed-in role's page stays in the document (the others are not just hidden).
  for (const page of document.querySelectorAll('section[data-role]')) {
    if (s && page.dataset.role.split(' ').includes(s.user.role)) page.hidden = false;
    else page.remove();
  }
  if (!s) {
    if (link && !link.invalid) words.push('Connectez-vous pour ouvrir l’agenda du médecin : vous y reviendrez aussitôt.');
    say($('notice'), words.filter(Boolean).join(' '));
    offerPsc();
    pscReturn();
    $('email').focus();
    return;
  }
  // The agenda a link opened, for a role that books from it (the SAS's origin is the regulation's only).
  sessionStorage.removeItem(AGENDA);
  let agenda = null;
  if (link && !link.invalid) {
    if (AGENDA_ROLES.has(s.user.role)) agenda = { practitionerId: link.practitionerId, origin: s.user.role === 'regulator' ? link.origin : undefined };
    else words.push('Ce lien ouvre l’agenda d’un médecin pour la régulation ou un secrétariat : votre page est ci-dessous.');
  }
  history.replaceState(null, '', agenda ? agendaPath(agenda) : '/');
  say($('notice'), words.filter(Boolean).join(' '));
  accountDialog(s.user);
  $('who').textContent = `${s.user.email} (${ROLE_NAMES[s.user.role] ?? s.user.role})`;
  document.title = `${document.querySelector('section[data-role]:not([hidden]) h1')?.textContent ?? 'Accueil'} — CPTS`;
  const left = expiresAt(s.token) - Date.now();
  setTimeout(() => signOut(EXPIRED), Math.min(left, 2 ** 31 - 1));
  // Five minutes before, a word: the call under way can be finished before signing in again.
  if (left > 6 * 60_000) setTimeout(() => say($('notice'), 'Votre session se termine dans 5 minutes : terminez la réservation en cours, puis reconnectez-vous.'), Math.min(left - 5 * 60_000, 2 ** 31 - 1));
  PAGES[s.user.role]?.(s.user, { agenda });
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
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    return say(
      error,
      res.status === 401
        ? body?.message?.includes('désactivé') ? 'Ce compte est désactivé : adressez-vous à la coordination de la CPTS.' : 'Adresse e-mail ou mot de passe incorrect.'
        : res.status === 400
          ? 'Vérifiez l’adresse e-mail : elle doit être de la forme nom@domaine.fr.'
          : res.status === 429
            ? body?.error === 'account_locked' ? body.message : 'Trop d’essais : patientez une minute.'
            : 'Connexion impossible pour le moment : réessayez.',
    );
  }
  if (body.mfa) {
    // The password was right: the second factor now (or its enrolment, the first time).
    $('sign-in-form').hidden = true;
    $('psc-sign-in').hidden = true;
    const answer = await secondFactor($('second-factor'), { mode: body.mfa, mfaToken: body.mfaToken });
    return opened(answer, email);
  }
  opened(body, email);
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => signOut('Vous êtes déconnecté.', { revoke: true }));
start();
