// « Coordination »: the requests waiting or left without a slot, and the members (practices,
// practitioners, user accounts).
import { $, api, doctor, h, person, phone, ROLE_NAMES, say, table, when } from './lib.js';

const PROFESSIONS = { general_practitioner: 'médecin généraliste', pediatrician: 'pédiatre', nurse: 'infirmier·e', midwife: 'sage-femme', physiotherapist: 'kinésithérapeute', pharmacist: 'pharmacien·ne' };
const REQUEST_STATUS = { pending: 'en attente', unmatched: 'sans créneau' };

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
      const [pending, unmatched] = await Promise.all([api('/requests', { query: { status: 'pending' } }), api('/requests', { query: { status: 'unmatched' } })]);
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

  refreshRequests();
  refreshMembers();
  const timer = setInterval(refreshRequests, 30_000);
  return { stop: () => clearInterval(timer) };
}
