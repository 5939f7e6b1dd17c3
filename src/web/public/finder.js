// « Trouver un créneau »: search → hold (with a countdown) → patient details → book, or file a request
// for the matching engine. Used by the secretariat and by the regulation centre.
import {
  api, communeAutocomplete, communeLabel, doctor, fieldError, h, instantiate, km, MODALITIES, now, offer, offerCommunes, paris, person, phone, resolvePlace, say, sequence, table,
  uuid, when,
} from './lib.js';

/** Maps the API's field names (400 details) onto the form's fields. */
const PATIENT_FIELDS = {
  'patient.lastName': 'last-name',
  'patient.firstName': 'first-name',
  'patient.birthDate': 'birth-date',
  'patient.phone': 'phone',
  'patient.communeCode': 'patient-place',
  'patient.referringGpRpps': 'referring-gp-rpps',
  reason: 'reason',
};

/** The API's field messages start with the field's name (« phone doit être… »): the form says it in French. */
const cleaned = (message) => {
  const text = message.replace(/^(patient\.)?[a-zA-Z]+ (?=doit|ne |est )/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** How far ahead an agenda opened by its link shows free slots (the API's window is at most 8 days). */
const AGENDA_DAYS = 7;

/**
 * Mounts the flow in `container`. `practice` (optional) offers « Ville du cabinet »; `onChange` is
 * called after a booking or a request so that the page's lists follow. `agenda` (optional,
 * `{practitionerId, origin}`): a GP's agenda opened by its link (the SAS's, with `origin: 'sas'`),
 * shown at once; bookings made from it carry that origin, until a search by place or the next call.
 */
export function mountFinder(container, { prefix, practice, agenda: opened = null, onChange = () => {} }) {
  const { fragment, parts: k } = instantiate('finder-template', prefix);
  container.replaceChildren(fragment);
  communeAutocomplete(k.place, k.places);
  communeAutocomplete(k['patient-place'], k['patient-places']);

  /** The last search (to run it again when a slot was taken), and the slot held for this call. */
  let lastQuery = null;
  let lastPlace = null;
  let held = null;
  let ticking;
  /** One Idempotency-Key per held slot (booking) and per patient form (request): a retry never books twice. */
  let requestKey = uuid();
  const latestSearch = sequence();
  const latestHold = sequence();
  let agenda = opened;

  if (practice) {
    k.home.hidden = false;
    k.home.textContent = `Ville du cabinet : ${practice.communeName}`;
    k.home.addEventListener('click', () => {
      k.place.value = practice.communeLabel;
      offer(k.places, [{ label: practice.communeLabel, code: practice.communeCode }]);
      k.age.focus();
    });
  }

  // ------------------------------------------------------------ search

  k.search.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(k['search-error'], '');
    say(k.taken, '');
    let query;
    try {
      query = await searchQuery();
    } catch (e) {
      say(k['search-error'], e.message);
      return;
    }
    // A baby under 3 months: fever first (a feverish infant is the 15's, not a consultation's).
    if (query.patientAgeMonths !== undefined && query.patientAgeMonths < 3 && !infantCleared()) {
      askInfantFever(query);
      return;
    }
    leaveAgenda();
    await runSearch(query);
  });

  // ------------------------------------------------------------ a baby under 3 months

  /** The answer given for this search's baby: « non », or « oui » then « Chercher quand même ». */
  let infantAnswer = null;
  let pendingQuery = null;
  const infantCleared = () => infantAnswer === 'no' || infantAnswer === 'searched';

  function askInfantFever(query) {
    pendingQuery = query;
    k.infant.hidden = false;
    k['infant-fever-yes'].focus();
  }

  for (const radio of [k['infant-fever-yes'], k['infant-fever-no']]) {
    radio.addEventListener('change', async () => {
      infantAnswer = radio.value;
      if (radio.value === 'yes') {
        say(k['infant-warning'], 'Un nourrisson de moins de 3 mois qui a de la fièvre doit être vu sans attendre : appelez le 15 (ou orientez vers les urgences pédiatriques), pas vers une consultation de ville.');
        k['infant-search'].hidden = false;
        return;
      }
      say(k['infant-warning'], '');
      k['infant-search'].hidden = true;
      if (pendingQuery) {
        leaveAgenda();
        await runSearch(pendingQuery);
      }
    });
  }
  k['infant-search'].addEventListener('click', async () => {
    infantAnswer = 'searched';
    if (pendingQuery) {
      leaveAgenda();
      await runSearch(pendingQuery);
    }
  });
  // Another age, or the next patient: the question is asked again.
  for (const field of [k.age, k['age-unit']]) {
    field.addEventListener('change', () => {
      infantAnswer = null;
      pendingQuery = null;
      k.infant.hidden = true;
      k['infant-fever-yes'].checked = k['infant-fever-no'].checked = false;
      say(k['infant-warning'], '');
      k['infant-search'].hidden = true;
    });
  }

  /** The agenda a link opened: this GP's free slots over the next days, soonest first. */
  async function openAgenda() {
    const from = now();
    await runSearch({ practitionerId: agenda.practitionerId, from: from.toISO(), to: from.plus({ days: AGENDA_DAYS }).toISO(), limit: 50 });
    container.scrollIntoView({ block: 'start' });
  }

  /** Back to searching by place: the link's agenda, and its origin, are left. */
  function leaveAgenda() {
    if (!agenda) return;
    agenda = null;
    k.title.textContent = 'Rechercher un créneau dans les 24 heures';
    if (location.pathname.startsWith('/agenda/')) history.replaceState(null, '', '/');
  }

  async function searchQuery() {
    const place = await resolvePlace(k.place, k.places);
    lastPlace = place;
    let patientAgeMonths;
    if (k.age.value.trim() !== '') {
      const n = Number(k.age.value);
      if (!Number.isInteger(n) || n < 0 || n > 130) throw new Error('L’âge du patient est un nombre entier d’années ou de mois.');
      patientAgeMonths = k['age-unit'].value === 'years' ? n * 12 : n;
      if (patientAgeMonths > 1500) throw new Error('L’âge du patient dépasse 125 ans : vérifiez l’unité (ans ou mois).');
    }
    return { communeCode: place.communeCode, postcode: place.postcode, patientAgeMonths, modality: k.modality.value || undefined, limit: 10 };
  }

  async function runSearch(query) {
    // A search after a confirmation is for the next patient: nothing of the last one stays.
    if (!k.confirmation.hidden) clearPatient();
    lastQuery = query;
    const fresh = latestSearch();
    k.results.setAttribute('aria-busy', 'true');
    try {
      const { results } = await api('/slots/search', { query });
      if (!fresh()) return;
      const count = results.length === 0 ? 'Aucun créneau libre' : results.length === 1 ? '1 créneau libre' : `${results.length} créneaux libres`;
      if (query.practitionerId) {
        const who = results[0] ? doctor(results[0].practitioner) : 'ce médecin';
        k.title.textContent = results[0] ? `Agenda du ${who}${agenda?.origin === 'sas' ? ' (lien du SAS)' : ''}` : 'Agenda du médecin';
        showResults(results, `${results[0] ? `Agenda du ${who}` : 'Agenda de ce médecin'} : ${count.toLowerCase()} dans les ${AGENDA_DAYS} prochains jours, les plus tôt d’abord.`);
      } else showResults(results, `${count} dans les 24 heures, les plus proches et les plus tôt d’abord.`);
      k['results-status'].textContent = `${count}.`;
    } catch (e) {
      if (fresh()) say(k['search-error'], e.message);
    } finally {
      k.results.removeAttribute('aria-busy');
    }
    k['patient-card'].hidden = false;
    k.confirmation.hidden = true;
    if (!k['patient-place'].value && lastPlace?.communeCode) {
      k['patient-place'].value = lastPlace.label;
      offer(k['patient-places'], [{ label: lastPlace.label, code: lastPlace.communeCode }]);
    }
  }

  function showResults(results, caption) {
    if (!results.length) {
      k.results.replaceChildren(
        h('p', { class: 'empty' }, caption, ' Déposez une demande : le moteur réservera dès qu’un créneau convient, et préviendra si aucun n’est trouvé à temps.'),
      );
      return;
    }
    const rows = results.map((r) =>
      h('tr', { dataset: { slot: r.slot.id }, class: held?.result.slot.id === r.slot.id ? 'selected' : undefined },
        h('td', {}, h('strong', {}, when(r.slot.start)), h('br'), h('span', { class: 'small' }, `${minutes(r.slot)} min, ${MODALITIES[r.slot.modality] ?? r.slot.modality}`)),
        h('td', {}, doctor(r.practitioner)),
        h('td', {}, r.practice.name, h('br'), h('span', { class: 'small' }, r.practice.address)),
        h('td', { class: 'num' }, km(r.distanceKm)),
        h('td', {}, h('button', { type: 'button', onclick: () => hold(r), 'aria-label': `Retenir ${when(r.slot.start)} avec ${doctor(r.practitioner)}` }, 'Retenir')),
      ),
    );
    k.results.replaceChildren(table({ caption, columns: ['Quand', 'Médecin', 'Cabinet', { text: 'Distance', class: 'num' }], action: 'Action', rows }));
  }

  // ------------------------------------------------------------ hold

  async function hold(result) {
    say(k['search-error'], '');
    // Already ours (a second click): nothing to ask the server.
    if (held?.result.slot.id === result.slot.id) return (k['last-name'].value ? k.book : k['last-name']).focus();
    say(k.taken, '');
    const fresh = latestHold();
    let answer;
    try {
      answer = await api(`/slots/${result.slot.id}/hold`, { method: 'POST', withServerTime: true });
    } catch (e) {
      if (!fresh()) return;
      // Someone else holds or took it; a slot held before stays ours.
      if (e.status === 409) {
        say(k.taken, `Ce créneau vient d’être pris ou retenu par quelqu’un d’autre${held ? ' : le créneau déjà retenu reste à vous' : ''}. Choisissez-en un autre : les informations du patient sont conservées.`);
        k.taken.focus();
        return;
      }
      say(k['search-error'], e.message);
      return;
    }
    if (!fresh()) return;
    // The countdown runs on this computer's monotonic clock, from what the server granted (its clock, not ours).
    const grantedMs = Date.parse(answer.body.expiresAt) - answer.serverTime;
    held = { result, token: answer.body.holdToken, endsAt: performance.now() + grantedMs, key: uuid(), warned: false };
    for (const tr of k.results.querySelectorAll('tr[data-slot]')) tr.classList.toggle('selected', tr.dataset.slot === result.slot.id);
    k.held.textContent = `${when(result.slot.start)} avec ${doctor(result.practitioner)}, ${result.practice.name}${result.distanceKm === null ? '' : ` (${km(result.distanceKm)})`}.`;
    k.hold.hidden = false;
    k.book.disabled = false;
    tick();
    clearInterval(ticking);
    ticking = setInterval(tick, 1000);
    (k['last-name'].value ? k.book : k['last-name']).focus();
  }

  function tick() {
    if (!held) return;
    const left = Math.round((held.endsAt - performance.now()) / 1000);
    if (left <= 0) {
      k.countdown.textContent = 'La mise de côté a expiré : le créneau peut être pris par un autre. Réservez vite, ou retenez-le à nouveau.';
      k.countdown.classList.add('expired');
      k['hold-alert'].textContent = 'La mise de côté du créneau a expiré.';
      clearInterval(ticking);
      return;
    }
    k.countdown.classList.remove('expired');
    k.countdown.textContent = `Retenu pour vous encore ${Math.floor(left / 60)} min ${String(left % 60).padStart(2, '0')} s`;
    // The timer is not read aloud each second: one spoken warning a minute before the end.
    if (left <= 60 && !held.warned) {
      held.warned = true;
      k['hold-alert'].textContent = 'Plus qu’une minute pour réserver le créneau retenu.';
    }
  }

  function release() {
    held = null;
    clearInterval(ticking);
    k['hold-alert'].textContent = '';
    k.hold.hidden = true;
    k.book.disabled = true;
  }

  function clearPatient() {
    release();
    k.patient.reset();
    for (const key of Object.values(PATIENT_FIELDS)) fieldError(k[key], '');
    say(k['patient-error'], '');
    k.confirmation.hidden = true;
    requestKey = uuid();
  }

  /** Someone else took the slot: say so, show the alternatives (or search again); what was typed stays. */
  async function taken(message, alternatives) {
    release();
    say(k.taken, `${message} Choisissez un autre créneau ci-dessous : les informations du patient sont conservées.`);
    if (alternatives) {
      showResults(alternatives, alternatives.length === 0 ? 'Aucun autre créneau libre à proposer.' : alternatives.length === 1 ? '1 autre créneau libre proposé.' : `${alternatives.length} autres créneaux libres proposés.`);
    } else if (lastQuery) await runSearch(lastQuery);
    k.taken.scrollIntoView({ block: 'nearest' });
    k.taken.focus();
  }

  // ------------------------------------------------------------ patient, booking, request

  async function patientFromForm() {
    for (const key of Object.values(PATIENT_FIELDS)) fieldError(k[key], '');
    const problems = [];
    const need = (key, message) => {
      if (!k[key].value.trim()) problems.push([key, message]);
    };
    need('last-name', 'Indiquez le nom du patient.');
    need('first-name', 'Indiquez le prénom du patient.');
    need('birth-date', 'Indiquez la date de naissance (jj/mm/aaaa).');
    need('phone', 'Indiquez un téléphone pour prévenir le patient.');
    const birth = k['birth-date'].value;
    if (birth && paris(`${birth}T12:00`) > now()) problems.push(['birth-date', 'La date de naissance est dans le futur.']);
    if (k.phone.value.trim() && k.phone.value.replace(/\D/g, '').length < 9) problems.push(['phone', 'Ce numéro est trop court : 10 chiffres, ou +indicatif pour l’étranger.']);
    const hasGp = k.patient.querySelector('input[name="has-gp"]:checked')?.value;
    // Typed with or without spaces (« 100 0345 6789 »): the API takes the 11 digits.
    const referringGpRpps = k['referring-gp-rpps'].value.replace(/\s/g, '');
    if (referringGpRpps && !/^\d{11}$/.test(referringGpRpps)) problems.push(['referring-gp-rpps', 'Le numéro RPPS compte 11 chiffres.']);
    else if (referringGpRpps && hasGp === 'no') problems.push(['referring-gp-rpps', '« A un médecin traitant » est à « non » : cochez « oui », ou effacez ce numéro.']);
    let communeCode;
    if (k['patient-place'].value.trim()) {
      try {
        communeCode = await communeCodeOf(k['patient-place'], k['patient-places']);
      } catch (e) {
        problems.push(['patient-place', e.message]);
      }
    }
    if (problems.length) {
      for (const [key, message] of problems) fieldError(k[key], message);
      k[problems[0][0]].focus();
      throw new Error('Complétez les informations du patient signalées.');
    }
    return {
      patient: {
        lastName: k['last-name'].value.trim(),
        firstName: k['first-name'].value.trim(),
        birthDate: birth,
        phone: k.phone.value.trim(),
        communeCode,
        hasReferringGp: hasGp === 'yes' ? true : hasGp === 'no' ? false : undefined,
        // Omitted when empty (the API then records none).
        referringGpRpps: referringGpRpps || undefined,
      },
      reason: k.reason.value.trim() || undefined,
    };
  }

  /** The 400 details of the API, next to the fields they are about. */
  function showFieldErrors(error) {
    let first;
    for (const d of error.details ?? []) {
      const key = PATIENT_FIELDS[d.field];
      if (!key) continue;
      fieldError(k[key], d.messages.map(cleaned).join(' ; '));
      first ??= k[key];
    }
    first?.focus();
  }

  k.patient.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(k['patient-error'], '');
    if (!held) return say(k['patient-error'], 'Retenez d’abord un créneau dans la liste.');
    let body;
    try {
      body = await patientFromForm();
    } catch (e) {
      return say(k['patient-error'], e.message);
    }
    busy(true);
    try {
      const booking = await api('/bookings', {
        method: 'POST',
        // From the SAS's link: the booking says so, and is reported to the SAS.
        body: { slotId: held.result.slot.id, holdToken: held.token, ...body, ...(agenda?.origin ? { origin: agenda.origin } : {}) },
        headers: { 'Idempotency-Key': held.key },
      });
      release();
      await confirmBooking(booking);
      onChange();
    } catch (e) {
      if (e.status === 409 && e.code === 'slot_unavailable') return taken('Ce créneau vient d’être pris par quelqu’un d’autre.', e.alternatives ?? null);
      failed(e);
    } finally {
      busy(false);
    }
  });

  /** Both buttons wait while one call is under way: a double click books or files once. */
  function busy(on) {
    k.file.disabled = on;
    k.book.disabled = on || !held;
  }

  function failed(e) {
    if (e.status === 400 && e.details?.some((d) => PATIENT_FIELDS[d.field])) {
      say(k['patient-error'], 'Vérifiez les champs signalés.');
      showFieldErrors(e);
      return;
    }
    say(k['patient-error'], e.message);
    k['patient-error'].focus();
  }

  k.file.addEventListener('click', async () => {
    say(k['patient-error'], '');
    let body;
    let communeCode;
    try {
      body = await patientFromForm();
      const place = lastPlace ?? (await resolvePlace(k.place, k.places));
      communeCode = place.communeCode ?? (await communeCodeOf(k.place, k.places));
    } catch (e) {
      return say(k['patient-error'], e.message);
    }
    busy(true);
    try {
      const filed = await api('/requests', {
        method: 'POST',
        body: { patient: body.patient, reason: body.reason, location: { communeCode }, modalities: k.modality.value ? [k.modality.value] : undefined },
        headers: { 'Idempotency-Key': requestKey },
      });
      release();
      confirmRequest(filed);
      onChange();
    } catch (e) {
      failed(e);
    } finally {
      busy(false);
    }
  });

  /** The patient's other live bookings within 24 h (the API's warnings), said before the confirmation is read out. */
  async function showDuplicates(b) {
    const ids = (b.warnings ?? []).filter((w) => w.code === 'patient_already_booked').map((w) => w.bookingId);
    if (!ids.length) {
      k.duplicate.hidden = true;
      k.duplicate.replaceChildren();
      return;
    }
    const others = await Promise.all(ids.map((id) => api(`/bookings/${id}`).catch(() => null)));
    k.duplicate.replaceChildren(
      h('p', {}, h('strong', {}, 'Attention : ce patient a déjà un rendez-vous SNP dans les 24 heures.'), ' Vérifiez avec lui avant de lire la confirmation ; si c’est un doublon, annulez l’un des deux.'),
      h('ul', {}, others.map((o, i) => h('li', {}, o ? `${when(o.slot.start)} avec ${doctor(o.practitioner)}, ${o.practice.name}` : `rendez-vous ${ids[i]}`))),
    );
    k.duplicate.hidden = false;
  }

  async function confirmBooking(b) {
    const p = b.patient ?? {};
    await showDuplicates(b);
    k['confirmation-title'].textContent = 'Rendez-vous confirmé';
    const where = b.slot.modality === 'home_visit'
      ? `visite à domicile ${when(b.slot.start)} par ${doctor(b.practitioner)} (${b.practice.name})`
      : b.slot.modality === 'teleconsultation'
        ? `téléconsultation ${when(b.slot.start)} avec ${doctor(b.practitioner)} (${b.practice.name}), le cabinet envoie le lien`
        : `rendez-vous ${when(b.slot.start)} avec ${doctor(b.practitioner)}, ${b.practice.name}, ${b.practice.address}`;
    k['read-out'].textContent = `À lire au patient : ${where}. Téléphone du cabinet : ${phone(b.practice.phone)}.`;
    k['confirmation-details'].replaceChildren(
      ...details([
        ['Patient', person(p)],
        ['Quand', when(b.slot.start)],
        ['Modalité', MODALITIES[b.slot.modality] ?? b.slot.modality],
        ['Médecin', doctor(b.practitioner)],
        ['Cabinet', b.practice.name],
        ['Adresse du cabinet', b.practice.address],
        ['Téléphone', phone(b.practice.phone)],
      ]),
    );
    showConfirmation();
  }

  function confirmRequest(r) {
    k.duplicate.hidden = true;
    k['confirmation-title'].textContent = 'Demande déposée';
    k['read-out'].textContent =
      `Le moteur cherche un créneau jusqu’à ${when(r.deadline)} et le réserve dès qu’il en trouve un : vous serez prévenu, ` +
      'et le patient par SMS. S’il n’en trouve pas à temps, vous en serez averti pour orienter le patient ailleurs.';
    k['confirmation-details'].replaceChildren(...details([['État', 'en attente'], ['Échéance', when(r.deadline)]]));
    showConfirmation();
  }

  function showConfirmation() {
    k['patient-card'].hidden = true;
    k.hold.hidden = true;
    k.results.replaceChildren();
    say(k.taken, '');
    k.confirmation.hidden = false;
    k.confirmation.focus();
  }

  k.again.addEventListener('click', () => {
    leaveAgenda();
    clearPatient();
    infantAnswer = null;
    pendingQuery = null;
    k.infant.hidden = true;
    k['infant-fever-yes'].checked = k['infant-fever-no'].checked = false;
    say(k['infant-warning'], '');
    k['infant-search'].hidden = true;
    k['patient-card'].hidden = true;
    k.search.reset();
    lastQuery = lastPlace = null;
    k.place.focus();
  });

  if (agenda) openAgenda();
  return { stop: () => clearInterval(ticking), k };
}

const minutes = (slot) => Math.round((Date.parse(slot.end) - Date.parse(slot.start)) / 60000);
const details = (pairs) => pairs.filter(([, v]) => v).flatMap(([t, v]) => [h('dt', {}, t), h('dd', {}, v)]);

/** An INSEE code for what was typed (a postcode must name one commune). */
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
