// « Coordination »: the dashboard (the mission's figures, dashboard.js), the requests waiting or left
// without a slot, patients' rights (what is held on a patient, and its erasure), and the members
// (practices, practitioners, user accounts).
import { $, api, confirmDialog, doctor, fieldError, h, person, phone, ROLE_NAMES, say, table, when } from './lib.js';
import { mountDashboard } from './dashboard.js';

const PROFESSIONS = { general_practitioner: 'médecin généraliste', pediatrician: 'pédiatre', nurse: 'infirmier·e', midwife: 'sage-femme', physiotherapist: 'kinésithérapeute', pharmacist: 'pharmacien·ne' };
const REQUEST_STATUS = { pending: 'en attente', unmatched: 'sans créneau' };

const BOOKING_STATUS = { confirmed: 'confirmé', attended: 'venu', no_show: 'pas venu', cancelled: 'annulé' };
const ANY_REQUEST_STATUS = { pending: 'en attente', matched: 'appariée', unmatched: 'sans créneau', cancelled: 'annulée' };

/**
 * « Droits des patients »: the patient's bookings and requests in this CPTS (right of access), and
 * the erasure of their identity after a confirmation (right to erasure). Both are audited by the API.
 */
function patientsRights() {
  const status = $('patients-status');
  const found = $('patients-found');
  let asked = null;

  async function lookup(event) {
    event?.preventDefault();
    const phoneInput = $('patients-phone');
    const birthInput = $('patients-birth-date');
    fieldError(phoneInput, '');
    fieldError(birthInput, '');
    if (!phoneInput.value.trim()) return fieldError(phoneInput, 'Indiquez le téléphone du patient.');
    if (!birthInput.value) return fieldError(birthInput, 'Indiquez sa date de naissance.');
    asked = { phone: phoneInput.value.trim(), birthDate: birthInput.value };
    let held;
    try {
      held = await api('/patients/lookup', { method: 'POST', body: asked });
    } catch (e) {
      for (const d of e.details ?? []) fieldError(d.field === 'phone' ? phoneInput : birthInput, d.messages[0]);
      return say(status, e.message);
    }
    show(held);
  }

  function show(held) {
    const total = held.bookings.length + held.requests.length;
    say(status, total ? `${held.bookings.length} rendez-vous et ${held.requests.length} demande(s) pour ce patient dans la CPTS.` : 'Aucune donnée de ce patient dans la CPTS (ou déjà effacée).');
    const parts = [];
    if (held.bookings.length) {
      parts.push(table({
        caption: 'Rendez-vous',
        columns: ['Créneau', 'Patient', 'Praticien', 'Cabinet', 'État', 'Motif'],
        rows: held.bookings.map((b) => h('tr', {}, h('td', {}, when(b.slot.start)), h('td', {}, person(b.patient)), h('td', {}, doctor(b.practitioner)), h('td', {}, b.practice.name), h('td', {}, BOOKING_STATUS[b.status] ?? b.status), h('td', {}, b.reason ?? ''))),
      }));
    }
    if (held.requests.length) {
      parts.push(table({
        caption: 'Demandes SNP',
        columns: ['Déposée', 'Patient', 'État', 'Échéance'],
        rows: held.requests.map((r) => h('tr', {}, h('td', {}, when(r.createdAt)), h('td', {}, person(r.patient)), h('td', {}, ANY_REQUEST_STATUS[r.status] ?? r.status), h('td', {}, when(r.deadline)))),
      }));
    }
    if (total) parts.push(h('button', { type: 'button', class: 'danger', onclick: () => erase(held) }, 'Effacer l’identité de ce patient'));
    found.replaceChildren(...parts);
    status.focus();
  }

  async function erase(held) {
    const yes = await confirmDialog({
      title: 'Effacer l’identité du patient',
      what: `Les nom, prénom, date de naissance, téléphone, e-mail et motif seront effacés de ${held.bookings.length} rendez-vous et ${held.requests.length} demande(s), et de leurs messages. Les chiffres de la CPTS ne changent pas. C’est définitif.`,
      confirm: 'Effacer définitivement',
      keep: 'Ne rien effacer',
      reason: false,
    });
    if (yes === null) return status.focus();
    try {
      const done = await api('/patients/erase', { method: 'POST', body: asked });
      found.replaceChildren();
      say(status, `Identité effacée : ${done.bookings} rendez-vous, ${done.requests} demande(s), ${done.notifications} message(s).`);
    } catch (e) {
      say(status, e.message);
    }
    status.focus();
  }

  $('patients-form').addEventListener('submit', lookup);
}

/** A card titled with its count, holding a table of `rows` (lists of cell texts). */
function listing(id, caption, headers, rows, empty) {
  if (!rows.length) return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, caption), h('p', { class: 'empty' }, empty));
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, `${caption} (${rows.length})`),
    table({ columns: headers, rows: rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))) }));
}

export function mountCoordination(user) {
  const status = $('coordination-status');

  async function refreshRequests() {
    try {
      const [{ requests: pending }, { requests: unmatched }] = await Promise.all([api('/requests', { query: { status: 'pending' } }), api('/requests', { query: { status: 'unmatched' } })]);
      const recentUnmatched = unmatched.filter((r) => Date.parse(r.notAfter) > Date.now() - 7 * 86_400_000);
      $('coordination-requests').replaceChildren(
        listing('coordination-requests-title', 'Demandes en attente ou sans créneau', ['Déposée', 'Patient', 'État', 'Échéance', 'Essais'],
          [...pending, ...recentUnmatched].map((r) => [when(r.createdAt), person(r.patient), REQUEST_STATUS[r.status] ?? r.status, when(r.deadline), String(r.attempts)]),
          'Aucune demande en attente, et aucune restée sans créneau ces 7 derniers jours.'),
      );
    } catch (e) {
      say(status, e.message);
    }
  }

  async function refreshMembers() {
    try {
      // A coordinator's own CPTS; an admin's, every one.
      const mine = { communityId: user.communityId };
      const [{ practices }, { practitioners }, { users }] = await Promise.all([api('/practices', { query: mine }), api('/practitioners', { query: mine }), api('/users')]);
      const practiceName = new Map(practices.map((p) => [p.id, p.name]));
      const practitionerName = new Map(practitioners.map((p) => [p.id, doctor(p)]));
      $('coordination-members').replaceChildren(
        listing('members-practices', 'Cabinets', ['Nom', 'Adresse', 'Commune', 'Téléphone'],
          practices.map((p) => [p.name, p.address, p.communeCode, phone(p.phone)]), 'Aucun cabinet inscrit.'),
        listing('members-practitioners', 'Praticiens', ['Nom', 'RPPS', 'Profession', 'Cabinet', 'Âge minimum'],
          practitioners.map((p) => [`${p.lastName.toUpperCase()} ${p.firstName}`, p.rpps, PROFESSIONS[p.profession] ?? p.profession, practiceName.get(p.practiceId) ?? '', p.minPatientAgeMonths ? `${p.minPatientAgeMonths} mois` : '—']),
          'Aucun praticien inscrit.'),
        listing('members-users', 'Comptes', ['Adresse e-mail', 'Rôle', 'Rattachement'],
          users.map((u) => [u.email, ROLE_NAMES[u.role] ?? u.role, practitionerName.get(u.practitionerId) ?? practiceName.get(u.practiceId) ?? '']),
          'Aucun compte.'),
      );
    } catch (e) {
      say(status, e.message);
    }
  }

  mountDashboard(user);
  patientsRights();
  refreshRequests();
  refreshMembers();
  const timer = setInterval(refreshRequests, 30_000);
  return { stop: () => clearInterval(timer) };
}
