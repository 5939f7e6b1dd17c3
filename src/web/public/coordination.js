// « Coordination »: the dashboard (the mission's figures, dashboard.js), the requests waiting or left
// without a slot, the messages that could not be delivered, patients' rights (what is held on a
// patient, and its erasure), and the members (practices, practitioners, user accounts), listed and
// added through forms; accounts edited, deactivated and reactivated.
import {
  $, act, age, api, communeAutocomplete, communeLabel, communeName, confirmDialog, doctor, fieldError, h, MODALITIES, offerCommunes, person, phone, renderer, resolvePlace,
  ROLE_NAMES, say, showFieldErrors, table, when,
} from './lib.js';
import { mountDashboard } from './dashboard.js';

const PROFESSIONS = {
  general_practitioner: 'médecin généraliste', pediatrician: 'pédiatre', nurse: 'infirmier·e', midwife: 'sage-femme', physiotherapist: 'kinésithérapeute', pharmacist: 'pharmacien·ne',
  dentist: 'chirurgien·ne-dentiste',
};
/** The messages the service sends (src/notifications/templates.ts), as the coordination names them. */
const TEMPLATES = {
  booking_confirmed_patient: 'confirmation du rendez-vous, au patient',
  booking_confirmed_practice: 'nouveau rendez-vous, au cabinet',
  booking_cancelled_patient: 'annulation, au patient',
  booking_cancelled_practice: 'annulation, au cabinet',
  booking_reminder_patient: 'rappel du rendez-vous, au patient',
  request_unmatched_originator: 'demande restée sans créneau, à qui l’a déposée',
};
const CHANNELS = { sms: 'SMS', email: 'e\u2011mail' };
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

  mountDashboard(user);
  patientsRights();
  const failed = failedMessages($('coordination-failed'));
  refreshRequests();
  members(user);
  const timer = setInterval(() => Promise.all([refreshRequests(), failed.refresh()]), 30_000);
  return { stop: () => clearInterval(timer) };
}

/**
 * « Messages non remis »: SMS and e-mails the service could not deliver (GET /notifications?status=failed),
 * each with « Renvoyer » (POST /notifications/:id/retry: queued again, its attempts afresh), or for
 * the coordination to reach the person another way.
 */
function failedMessages(container) {
  const status = h('p', { class: 'small', role: 'status', 'aria-live': 'polite' });
  const body = h('div');
  const title = h('h2', { id: 'failed-title' }, 'Messages non remis');
  container.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'failed-title' },
    title,
    h('p', { class: 'small' }, 'SMS et e-mails que le service n’a pas pu remettre, malgré ses nouvelles tentatives : renvoyez-les une fois la cause réglée (numéro corrigé, fournisseur revenu), ou prévenez la personne autrement (téléphone, e-mail).'),
    status, body));
  const show = renderer((notifications) => {
    title.textContent = notifications.length ? `Messages non remis (${notifications.length})` : 'Messages non remis';
    body.replaceChildren(notifications.length
      ? table({
        id: 'failed-messages',
        caption: 'Messages non remis, les plus récents d’abord',
        captionHidden: true,
        columns: ['Créé', 'Message', 'Canal', 'Destinataire', 'Essais', 'Erreur'],
        action: 'Action',
        rows: notifications.map((n) => h('tr', {},
          h('td', {}, when(n.createdAt)),
          h('td', {}, TEMPLATES[n.template] ?? n.template),
          h('td', {}, CHANNELS[n.channel] ?? n.channel),
          h('td', {}, n.to ? (n.channel === 'sms' ? phone(n.to) : n.to) : 'aucun'),
          h('td', {}, String(n.attempts)),
          h('td', {}, n.error ?? ''),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Renvoyer le message ${TEMPLATES[n.template] ?? n.template} du ${when(n.createdAt)}`, onclick: () => resend(n) }, 'Renvoyer')))),
      })
      : h('p', { class: 'empty' }, 'Aucun message en échec.'));
  });
  async function resend(n) {
    try {
      await api(`/notifications/${n.id}/retry`, { method: 'POST' });
      say(status, `Message renvoyé : il repart dans la file d’envoi (${CHANNELS[n.channel] ?? n.channel}).`);
    } catch (e) {
      say(status, e.message);
    }
    await refresh();
  }
  /** What the last failed refresh said: a later refresh clears that, never a word about a message sent again. */
  let lastError = null;
  async function refresh() {
    try {
      const { notifications } = await api('/notifications', { query: { status: 'failed', limit: 100 } });
      if (lastError !== null && status.textContent === lastError) say(status, '');
      lastError = null;
      show(notifications);
    } catch (e) {
      lastError = e.message;
      say(status, e.message);
    }
  }
  refresh();
  return { refresh };
}

/** An INSEE code for what was typed in a commune field (a postcode must name one commune). */
async function communeCodeOf(input, list) {
  const place = await resolvePlace(input, list);
  if (place.communeCode) return place.communeCode;
  const { communes } = await api('/communes', { query: { q: place.postcode } });
  if (communes.length === 1) {
    input.value = communeLabel(communes[0]);
    return communes[0].code;
  }
  offerCommunes(list, communes);
  throw new Error(communes.length ? `Plusieurs communes ont le code postal ${place.postcode} : choisissez-la dans la liste.` : `Aucune commune n’a le code postal ${place.postcode}.`);
}

/** Fills a <select> with `[value, text]` pairs, keeping the choice made when it is still offered. */
function fillSelect(select, pairs, placeholder) {
  const chosen = select.value;
  select.replaceChildren(...(placeholder ? [h('option', { value: '' }, placeholder)] : []), ...pairs.map(([value, text]) => h('option', { value }, text)));
  if (pairs.some(([value]) => value === chosen)) select.value = chosen;
}

/** Clears the field errors of a form's controls and its own message. */
function clearErrors(form, error) {
  for (const el of form.querySelectorAll('input, select')) if (el.id) fieldError(el, '');
  say(error, '');
}

/**
 * The API's refusal shown where it belongs: next to the fields it names (400 details, or a
 * conflict about one field), else in the form's message; the focus goes to the first one.
 */
function refused(e, { fields, codes = {}, error }) {
  const first = e.status === 400 ? showFieldErrors(e, fields) : undefined;
  const about = codes[e.code];
  if (about) {
    fieldError(about, e.message);
    say(error, 'Vérifiez le champ signalé.');
    return about.focus();
  }
  say(error, first ? 'Vérifiez les champs signalés.' : e.message);
  (first ?? error).focus();
}

/**
 * A member form that registers one or edits the one chosen. Its elements are named after `prefix`
 * (`<prefix>-form`, `-error`, `-form-summary`, `-submit`, `-cancel-edit`, and the `-add` disclosure).
 * `create()` puts it back to registering (then runs `reset`), `edit(item, summary)` opens it on an
 * item; cancelling an edit gives the focus back to the item's row (`rowButton(id)`), else to `fallback`.
 */
function editableForm(prefix, { createSummary, createSubmit, reset, rowButton, fallback }) {
  const el = (name) => $(`${prefix}-${name}`);
  const form = {
    /** The item being edited (null: the form registers one). */
    editing: null,
    create() {
      form.editing = null;
      el('form').reset();
      clearErrors(el('form'), el('error'));
      el('form-summary').textContent = createSummary;
      el('submit').textContent = createSubmit;
      el('cancel-edit').hidden = true;
      reset?.();
    },
    edit(item, summary) {
      form.create();
      form.editing = item;
      el('add').open = true;
      el('form-summary').textContent = summary;
      el('submit').textContent = 'Enregistrer les modifications';
      el('cancel-edit').hidden = false;
    },
  };
  el('cancel-edit').addEventListener('click', () => {
    const id = form.editing?.id;
    form.create();
    (document.querySelector(rowButton(id)) ?? $(fallback)).focus();
  });
  return form;
}

/**
 * The CPTS's members: practices, practitioners and accounts, each listed with its form to add one
 * (POST /practices, /practitioners, /users); accounts are edited (role, links) and deactivated or
 * reactivated (PATCH /users/:id). The API has no route to edit a practice or a practitioner.
 */
function members(user) {
  const admin = user.role === 'admin';
  const roles = admin ? ['secretary', 'gp', 'coordinator', 'regulator', 'admin'] : ['secretary', 'gp', 'coordinator'];
  let known = { practices: [], practitioners: [], users: [] };
  /** The commune field's text when a practice's edit began: unchanged, the commune is not sent. */
  let practiceCommuneShown = '';

  fillSelect($('practitioner-profession'), Object.entries(PROFESSIONS));
  fillSelect($('user-role'), roles.map((r) => [r, ROLE_NAMES[r] ?? r]));
  communeAutocomplete($('practice-commune'), $('practice-communes'));
  $('practice-community-field').hidden = !admin;

  // ------------------------------------------------------------ lists

  async function refresh() {
    try {
      // A coordinator's own CPTS; an admin's, every one.
      const mine = { communityId: user.communityId };
      const [{ practices }, { practitioners }, { users }] = await Promise.all([api('/practices', { query: mine }), api('/practitioners', { query: mine }), api('/users')]);
      const communes = new Map(await Promise.all([...new Set(practices.map((p) => p.communeCode))].map(async (code) => [code, await communeName(code)])));
      known = { practices, practitioners, users };
      drawPractices(communes);
      drawPractitioners();
      drawUsers();
      fillChoices();
    } catch (e) {
      say($('coordination-status'), e.message);
    }
  }

  const practiceName = (id) => known.practices.find((p) => p.id === id)?.name ?? '';
  const practitionerName = (id) => {
    const p = known.practitioners.find((x) => x.id === id);
    return p ? doctor(p) : '';
  };
  const counted = (id, text, n) => ($(id).textContent = n ? `${text} (${n})` : text);

  function drawPractices(communes) {
    const { practices } = known;
    counted('members-practices', 'Cabinets', practices.length);
    $('practices-list').replaceChildren(practices.length
      ? table({
        id: 'practices-table',
        caption: 'Cabinets de la CPTS',
        captionHidden: true,
        columns: ['Nom', 'Adresse', 'Commune', 'Téléphone'],
        action: 'Action',
        rows: practices.map((p) => h('tr', { dataset: { practice: p.id } }, h('td', {}, p.name), h('td', {}, p.address), h('td', {}, communes.get(p.communeCode) ?? p.communeCode), h('td', {}, phone(p.phone)),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Modifier le cabinet ${p.name}`, onclick: () => editPractice(p, communes.get(p.communeCode)) }, 'Modifier')))),
      })
      : h('p', { class: 'empty' }, 'Aucun cabinet inscrit.'));
  }

  function drawPractitioners() {
    const { practitioners } = known;
    counted('members-practitioners', 'Praticiens', practitioners.length);
    $('practitioners-list').replaceChildren(practitioners.length
      ? table({
        id: 'practitioners-table',
        caption: 'Praticiens de la CPTS',
        captionHidden: true,
        columns: ['Nom', 'RPPS', 'Profession', 'Cabinet', 'Consulte', 'Âge minimum des patients'],
        action: 'Action',
        rows: practitioners.map((p) => h('tr', { dataset: { practitioner: p.id } },
          h('td', {}, `${p.lastName.toUpperCase()} ${p.firstName}`),
          h('td', {}, p.rpps),
          h('td', {}, PROFESSIONS[p.profession] ?? p.profession),
          h('td', {}, practiceName(p.practiceId)),
          h('td', {}, (p.modalities ?? []).map((m) => MODALITIES[m] ?? m).join(', ')),
          h('td', {}, p.minPatientAgeMonths ? age(p.minPatientAgeMonths) : 'tout âge'),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Modifier la fiche de ${doctor(p)}`, onclick: () => editPractitioner(p) }, 'Modifier')))),
      })
      : h('p', { class: 'empty' }, 'Aucun praticien inscrit.'));
  }

  function attachment(u) {
    if (u.role === 'regulator') return 'régulation (15 / SAS)';
    if (u.role === 'admin') return 'toutes les CPTS';
    if (u.role === 'coordinator') return 'la CPTS';
    return practitionerName(u.practitionerId) || practiceName(u.practiceId);
  }

  function drawUsers() {
    const { users } = known;
    counted('members-users', 'Comptes', users.length);
    $('users-list').replaceChildren(users.length
      ? table({
        id: 'users-table',
        caption: 'Comptes de la CPTS',
        captionHidden: true,
        // A non-breaking hyphen: « e-mail » never splits on a phone's card.
        columns: ['Adresse e\u2011mail', 'Rôle', 'Rattachement', 'État'],
        action: 'Actions',
        rows: users.map((u) => h('tr', { class: u.active ? undefined : 'muted', dataset: { user: u.id } },
          h('td', {}, breakable(u.email)),
          h('td', {}, ROLE_NAMES[u.role] ?? u.role),
          h('td', {}, attachment(u)),
          h('td', {}, u.id === user.id ? 'actif (vous)' : u.active ? 'actif' : 'désactivé'),
          h('td', {}, u.id === user.id || !roles.includes(u.role)
            ? ''
            : h('span', { class: 'inline' },
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Modifier le compte ${u.email}`, onclick: () => edit(u) }, 'Modifier'),
              u.active
                ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Désactiver le compte ${u.email}`, onclick: () => setActive(u, false) }, 'Désactiver')
                : h('button', { type: 'button', 'aria-label': `Réactiver le compte ${u.email}`, onclick: () => setActive(u, true) }, 'Réactiver'))))),
      })
      : h('p', { class: 'empty' }, 'Aucun compte.'));
  }

  /** The choices of the forms' lists: the CPTS's practices and practitioners (and, for an admin, the CPTS). */
  function fillChoices() {
    const practices = known.practices.map((p) => [p.id, p.name]);
    fillSelect($('practitioner-practice'), practices, practices.length ? 'Choisissez le cabinet' : 'Inscrivez d’abord un cabinet');
    fillSelect($('user-practice'), practices, 'Choisissez le cabinet');
    fillSelect($('user-practitioner'), known.practitioners.map((p) => [p.id, `${doctor(p)} (${practiceName(p.practiceId)})`]), 'Choisissez le praticien');
    if (admin) {
      // No route lists the CPTS: those this page knows of, named by their practices.
      const communities = new Map();
      for (const p of known.practices) communities.set(p.communityId, [...(communities.get(p.communityId) ?? []), p.name]);
      for (const u of known.users) if (u.communityId && !communities.has(u.communityId)) communities.set(u.communityId, []);
      const pairs = [...communities].map(([id, names]) => [id, names.length ? `CPTS de ${names.slice(0, 2).join(', ')}${names.length > 2 ? '…' : ''}` : `CPTS ${id.slice(0, 8)}`]);
      fillSelect($('practice-community'), pairs, 'Choisissez la CPTS');
      fillSelect($('user-community'), pairs, 'Choisissez la CPTS');
    }
  }

  // ------------------------------------------------------------ practices

  const practiceForm = editableForm('practice', {
    createSummary: 'Inscrire un cabinet',
    createSubmit: 'Inscrire le cabinet',
    reset: () => { $('practice-community-field').hidden = !admin; },
    rowButton: (id) => `#practices-table tr[data-practice="${id}"] button`,
    fallback: 'practice-name',
  });

  function editPractice(p, communeNameShown) {
    practiceForm.edit(p, `Modifier le cabinet ${p.name}`);
    $('practice-name').value = p.name;
    $('practice-address').value = p.address;
    practiceCommuneShown = `${communeNameShown ?? p.communeCode} (${p.postcode ?? p.communeCode})`;
    $('practice-commune').value = practiceCommuneShown;
    $('practice-phone').value = phone(p.phone);
    $('practice-community-field').hidden = true;
    $('practice-name').focus();
  }

  $('practice-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const error = $('practice-error');
    clearErrors(form, error);
    const f = { name: $('practice-name'), address: $('practice-address'), commune: $('practice-commune'), phone: $('practice-phone'), community: $('practice-community') };
    const problems = [];
    if (admin && !practiceForm.editing && !f.community.value) problems.push([f.community, 'Choisissez la CPTS du cabinet.']);
    if (!f.name.value.trim()) problems.push([f.name, 'Indiquez le nom du cabinet.']);
    if (!f.address.value.trim()) problems.push([f.address, 'Indiquez l’adresse du cabinet.']);
    if (!f.phone.value.trim()) problems.push([f.phone, 'Indiquez le téléphone du cabinet.']);
    let communeCode;
    if (!f.commune.value.trim()) problems.push([f.commune, 'Indiquez la commune du cabinet.']);
    else if (practiceForm.editing && f.commune.value === practiceCommuneShown) communeCode = undefined;
    else {
      try {
        communeCode = await communeCodeOf(f.commune, $('practice-communes'));
      } catch (e) {
        problems.push([f.commune, e.message]);
      }
    }
    if (problems.length) return invalid(problems, error);
    const button = event.submitter ?? form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      if (practiceForm.editing) {
        const changed = await api(`/practices/${practiceForm.editing.id}`, {
          method: 'PATCH',
          body: { name: f.name.value.trim(), address: f.address.value.trim(), phone: f.phone.value.trim(), ...(communeCode ? { communeCode } : {}) },
        });
        practiceForm.create();
        say($('practices-status'), `Cabinet « ${changed.name} » modifié.`);
        await refresh();
        $('practices-status').focus();
        return;
      }
      const made = await api('/practices', {
        method: 'POST',
        body: { communityId: admin ? f.community.value : user.communityId, name: f.name.value.trim(), address: f.address.value.trim(), communeCode, phone: f.phone.value.trim() },
      });
      form.reset();
      say($('practices-status'), `Cabinet « ${made.name} » inscrit. Inscrivez maintenant ses praticiens, puis leurs comptes.`);
      await refresh();
      $('practices-status').focus();
    } catch (e) {
      refused(e, {
        fields: { name: f.name, address: f.address, communeCode: f.commune, phone: f.phone, communityId: f.community, postcode: f.address, city: f.address },
        codes: { commune_unknown: f.commune, postcode_unknown: f.address },
        error,
      });
    } finally {
      button.disabled = false;
    }
  });

  // ------------------------------------------------------------ practitioners

  /** RPPS and practice never change: only a new fiche has them. */
  const practitionerForm = editableForm('practitioner', {
    createSummary: 'Inscrire un praticien',
    createSubmit: 'Inscrire le praticien',
    reset: () => {
      $('practitioner-rpps').readOnly = false;
      $('practitioner-practice').disabled = false;
    },
    rowButton: (id) => `#practitioners-table tr[data-practitioner="${id}"] button`,
    fallback: 'practitioner-rpps',
  });

  function editPractitioner(p) {
    practitionerForm.edit(p, `Modifier la fiche de ${doctor(p)}`);
    $('practitioner-rpps').value = p.rpps;
    $('practitioner-rpps').readOnly = true;
    $('practitioner-last-name').value = p.lastName;
    $('practitioner-first-name').value = p.firstName;
    $('practitioner-profession').value = p.profession;
    $('practitioner-practice').value = p.practiceId;
    $('practitioner-practice').disabled = true;
    const months = p.minPatientAgeMonths ?? 0;
    $('practitioner-min-age').value = months ? String(months % 12 === 0 ? months / 12 : months) : '';
    $('practitioner-min-age-unit').value = months % 12 === 0 ? 'years' : 'months';
    for (const box of $('practitioner-form').querySelectorAll('input[name="modality"]')) box.checked = (p.modalities ?? []).includes(box.value);
    $('practitioner-last-name').focus();
  }

  $('practitioner-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const error = $('practitioner-error');
    clearErrors(form, error);
    const f = {
      rpps: $('practitioner-rpps'), lastName: $('practitioner-last-name'), firstName: $('practitioner-first-name'), profession: $('practitioner-profession'),
      practice: $('practitioner-practice'), minAge: $('practitioner-min-age'),
    };
    const rpps = f.rpps.value.replace(/\s/g, '');
    const problems = [];
    if (!/^\d{11}$/.test(rpps)) problems.push([f.rpps, 'Le numéro RPPS compte 11 chiffres.']);
    if (!f.lastName.value.trim()) problems.push([f.lastName, 'Indiquez le nom du praticien.']);
    if (!f.firstName.value.trim()) problems.push([f.firstName, 'Indiquez son prénom.']);
    if (!f.practice.value) problems.push([f.practice, 'Choisissez le cabinet où il exerce.']);
    let minPatientAgeMonths;
    if (f.minAge.value.trim() !== '') {
      const n = Number(f.minAge.value);
      minPatientAgeMonths = $('practitioner-min-age-unit').value === 'years' ? n * 12 : n;
      if (!Number.isInteger(n) || n < 0 || minPatientAgeMonths > 1500) problems.push([f.minAge, 'L’âge minimum est un nombre entier d’années (ou de mois), 125 ans au plus.']);
    }
    const modalities = [...form.querySelectorAll('input[name="modality"]:checked')].map((c) => c.value);
    if (problems.length) return invalid(problems, error);
    if (!modalities.length) {
      say(error, 'Cochez au moins une façon de consulter.');
      return form.querySelector('input[name="modality"]').focus();
    }
    const button = event.submitter ?? form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      if (practitionerForm.editing) {
        const changed = await api(`/practitioners/${practitionerForm.editing.id}`, {
          method: 'PATCH',
          body: { lastName: f.lastName.value.trim(), firstName: f.firstName.value.trim(), profession: f.profession.value, minPatientAgeMonths: minPatientAgeMonths ?? 0, modalities },
        });
        practitionerForm.create();
        say($('practitioners-status'), `Fiche de ${doctor(changed)} modifiée.`);
        await refresh();
        $('practitioners-status').focus();
        return;
      }
      const made = await api('/practitioners', {
        method: 'POST',
        body: { rpps, lastName: f.lastName.value.trim(), firstName: f.firstName.value.trim(), profession: f.profession.value, practiceId: f.practice.value, minPatientAgeMonths, modalities },
      });
      form.reset();
      say($('practitioners-status'), `Fiche de ${doctor(made)} créée. Pour publier ses créneaux, il lui faut un compte : créez-le dans « Comptes » (rôle médecin).`);
      await refresh();
      $('practitioners-status').focus();
    } catch (e) {
      refused(e, {
        fields: { rpps: f.rpps, lastName: f.lastName, firstName: f.firstName, profession: f.profession, practiceId: f.practice, minPatientAgeMonths: f.minAge },
        codes: { rpps_taken: f.rpps },
        error,
      });
    } finally {
      button.disabled = false;
    }
  });

  // ------------------------------------------------------------ accounts

  /** Shows the link the chosen role needs: a secretariat's practice, a GP's practitioner, a coordinator's CPTS (admins). */
  function showLinks() {
    const role = $('user-role').value;
    $('user-practice-field').hidden = role !== 'secretary';
    $('user-practitioner-field').hidden = role !== 'gp';
    $('user-community-field').hidden = !(admin && role === 'coordinator');
  }
  $('user-role').addEventListener('change', showLinks);
  showLinks();

  const userForm = editableForm('user', {
    createSummary: 'Créer un compte',
    createSubmit: 'Créer le compte',
    reset: () => {
      $('user-email').readOnly = false;
      $('user-password-field').hidden = false;
      say($('user-form-editing'), '');
      showLinks();
    },
    rowButton: (id) => `#users-table tr[data-user="${id}"] button`,
    fallback: 'user-email',
  });

  function edit(u) {
    userForm.edit(u, `Modifier le compte ${u.email}`);
    $('user-email').value = u.email;
    $('user-email').readOnly = true;
    $('user-password-field').hidden = true;
    $('user-role').value = u.role;
    $('user-practice').value = u.practiceId ?? '';
    $('user-practitioner').value = u.practitionerId ?? '';
    if (admin) $('user-community').value = u.communityId ?? '';
    say($('user-form-editing'), `Modification du compte ${u.email} : changez son rôle ou son rattachement. À l’enregistrement, ses sessions ouvertes se ferment.`);
    showLinks();
    $('user-role').focus();
  }

  async function setActive(u, active) {
    if (!active) {
      const ok = await confirmDialog({
        title: 'Désactiver le compte',
        what: `${u.email} ne pourra plus se connecter, et ses sessions ouvertes se ferment aussitôt. Vous pourrez le réactiver.`,
        confirm: 'Désactiver le compte',
        keep: 'Garder le compte actif',
        reason: false,
      });
      if (ok === null) return;
    }
    await act($('users-status'), () => api(`/users/${u.id}`, { method: 'PATCH', body: { active } }),
      active ? `Compte ${u.email} réactivé : il peut de nouveau se connecter.` : `Compte ${u.email} désactivé : il ne peut plus se connecter.`, refresh);
  }

  $('user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const error = $('user-error');
    clearErrors(form, error);
    const f = { email: $('user-email'), password: $('user-password'), role: $('user-role'), practice: $('user-practice'), practitioner: $('user-practitioner'), community: $('user-community') };
    const role = f.role.value;
    const problems = [];
    if (!userForm.editing && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.value.trim())) problems.push([f.email, 'Indiquez une adresse e-mail de la forme nom@domaine.fr.']);
    if (!userForm.editing && f.password.value.length < 10) problems.push([f.password, 'Le mot de passe provisoire fait au moins 10 caractères.']);
    if (role === 'secretary' && !f.practice.value) problems.push([f.practice, 'Choisissez le cabinet de ce secrétariat.']);
    if (role === 'gp' && !f.practitioner.value) problems.push([f.practitioner, 'Choisissez la fiche du praticien (inscrivez-le d’abord dans « Praticiens »).']);
    if (admin && role === 'coordinator' && !f.community.value) problems.push([f.community, 'Choisissez la CPTS de ce compte.']);
    if (problems.length) return invalid(problems, error);
    const links = role === 'secretary' ? { practiceId: f.practice.value } : role === 'gp' ? { practitionerId: f.practitioner.value } : role === 'coordinator' && admin ? { communityId: f.community.value } : {};
    const button = event.submitter ?? $('user-submit');
    button.disabled = true;
    try {
      if (userForm.editing) {
        const was = userForm.editing;
        const changed = was.role !== role || Object.entries(links).some(([k, v]) => was[k] !== v);
        if (changed) await api(`/users/${was.id}`, { method: 'PATCH', body: { role, ...links } });
        userForm.create();
        say($('users-status'), changed ? `Compte ${was.email} modifié : ${ROLE_NAMES[role] ?? role}. Ses sessions ouvertes sont fermées.` : `Compte ${was.email} : rien n’a changé.`);
      } else {
        const made = await api('/users', { method: 'POST', body: { email: f.email.value.trim(), password: f.password.value, role, ...links } });
        userForm.create();
        say($('users-status'), `Compte ${made.email} créé (${ROLE_NAMES[made.role] ?? made.role}) : transmettez-lui son mot de passe provisoire.`);
      }
      await refresh();
      $('users-status').focus();
    } catch (e) {
      refused(e, {
        fields: { email: f.email, password: f.password, role: f.role, practiceId: f.practice, practitionerId: f.practitioner, communityId: f.community },
        codes: { email_taken: f.email, practice_required: f.practice, practitioner_required: f.practitioner, community_required: f.community },
        error,
      });
    } finally {
      button.disabled = false;
    }
  });

  refresh();
  return { refresh };
}

/** An e-mail address that wraps, on a narrow screen, before its « @ » rather than anywhere. */
const breakable = (email) => {
  const at = email.lastIndexOf('@');
  return at > 0 ? [email.slice(0, at), h('wbr'), email.slice(at)] : email;
};

/** Marks each [input, message] of `problems`, says so in the form's message, and focuses the first field. */
function invalid(problems, error) {
  for (const [input, message] of problems) fieldError(input, message);
  say(error, problems.length > 1 ? 'Complétez les champs signalés.' : 'Vérifiez le champ signalé.');
  problems[0][0].focus();
}
