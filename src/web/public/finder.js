// « Trouver un créneau »: search → hold (with a countdown) → patient details → book, or file a request
// for the matching engine. Used by the secretariat and by the regulation centre.
import {
  api, communeAutocomplete, communeLabel, doctor, fieldError, h, instantiate, km, MODALITIES, now, paris, person, phone, resolvePlace, say, when,
} from './lib.js';

/** Maps the API's field names (400 details) onto the form's fields. */
const PATIENT_FIELDS = {
  'patient.lastName': 'last-name',
  'patient.firstName': 'first-name',
  'patient.birthDate': 'birth-date',
  'patient.phone': 'phone',
  'patient.communeCode': 'patient-place',
  reason: 'reason',
};

/**
 * Mounts the flow in `container`. `practice` (optional) offers « Ville du cabinet »; `onChange` is
 * called after a booking or a request so that the page's lists follow.
 */
export function mountFinder(container, { prefix, practice, onChange = () => {} }) {
  const { fragment, parts: k } = instantiate('finder-template', prefix);
  container.replaceChildren(fragment);
  communeAutocomplete(k.place, k.places);
  communeAutocomplete(k['patient-place'], k['patient-places']);

  /** The last search (to run it again when a slot was taken), and the slot held for this call. */
  let lastQuery = null;
  let lastPlace = null;
  let held = null;
  let ticking;

  if (practice) {
    k.home.hidden = false;
    k.home.textContent = `Ville du cabinet : ${practice.communeName}`;
    k.home.addEventListener('click', () => {
      k.place.value = practice.communeLabel;
      k.places.replaceChildren(h('option', { value: practice.communeLabel, dataset: { code: practice.communeCode } }));
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
    await runSearch(query);
  });

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
    lastQuery = query;
    k.results.setAttribute('aria-busy', 'true');
    const started = performance.now();
    try {
      const { results } = await api('/slots/search', { query });
      showResults(results, `${results.length === 0 ? 'Aucun créneau libre' : results.length === 1 ? '1 créneau libre' : `${results.length} créneaux libres`} dans les 24 heures, les plus proches et les plus tôt d’abord (réponse en ${Math.round(performance.now() - started)} ms).`);
    } catch (e) {
      say(k['search-error'], e.message);
    } finally {
      k.results.removeAttribute('aria-busy');
    }
    k['patient-card'].hidden = false;
    k.confirmation.hidden = true;
    if (!k['patient-place'].value && lastPlace?.communeCode) {
      k['patient-place'].value = lastPlace.label;
      k['patient-places'].replaceChildren(h('option', { value: lastPlace.label, dataset: { code: lastPlace.communeCode } }));
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
    k.results.replaceChildren(
      h('table', { class: 'list' },
        h('caption', {}, caption),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Quand'), h('th', { scope: 'col' }, 'Médecin'), h('th', { scope: 'col' }, 'Cabinet'), h('th', { scope: 'col', class: 'num' }, 'Distance'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Action')))),
        h('tbody', {}, rows),
      ),
    );
  }

  // ------------------------------------------------------------ hold

  async function hold(result) {
    say(k['search-error'], '');
    say(k.taken, '');
    try {
      const answer = await api(`/slots/${result.slot.id}/hold`, { method: 'POST' });
      held = { result, token: answer.holdToken, expiresAt: Date.parse(answer.expiresAt) };
    } catch (e) {
      if (e.status === 409) return taken('Ce créneau vient d’être pris ou retenu par quelqu’un d’autre.', null);
      say(k['search-error'], e.message);
      return;
    }
    for (const tr of k.results.querySelectorAll('tr[data-slot]')) tr.classList.toggle('selected', tr.dataset.slot === result.slot.id);
    k.held.textContent = `${when(result.slot.start)} avec ${doctor(result.practitioner)}, ${result.practice.name} (${km(result.distanceKm)}).`;
    k.hold.hidden = false;
    k.book.disabled = false;
    tick();
    clearInterval(ticking);
    ticking = setInterval(tick, 1000);
    (k['last-name'].value ? k.book : k['last-name']).focus();
  }

  function tick() {
    if (!held) return;
    const left = Math.round((held.expiresAt - Date.now()) / 1000);
    if (left <= 0) {
      k.countdown.textContent = 'La mise de côté a expiré : le créneau peut être pris par un autre. Réservez vite, ou retenez-le à nouveau.';
      k.countdown.classList.add('expired');
      clearInterval(ticking);
      return;
    }
    k.countdown.classList.remove('expired');
    k.countdown.textContent = `Retenu pour vous encore ${Math.floor(left / 60)} min ${String(left % 60).padStart(2, '0')} s`;
  }

  function release() {
    held = null;
    clearInterval(ticking);
    k.hold.hidden = true;
    k.book.disabled = true;
  }

  /** Someone else took the slot: say so, show the alternatives (or search again); what was typed stays. */
  async function taken(message, alternatives) {
    release();
    say(k.taken, `${message} Choisissez un autre créneau ci-dessous : les informations du patient sont conservées.`);
    if (alternatives) showResults(alternatives, alternatives.length === 1 ? '1 autre créneau libre proposé.' : `${alternatives.length} autres créneaux libres proposés.`);
    else if (lastQuery) await runSearch(lastQuery);
    k.taken.scrollIntoView({ block: 'nearest' });
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
    const hasGp = k.patient.querySelector('input[name="has-gp"]:checked')?.value;
    return {
      patient: {
        lastName: k['last-name'].value.trim(),
        firstName: k['first-name'].value.trim(),
        birthDate: birth,
        phone: k.phone.value.trim(),
        communeCode,
        hasReferringGp: hasGp === 'yes' ? true : hasGp === 'no' ? false : undefined,
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
      fieldError(k[key], d.messages.join(' ; '));
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
    k.book.disabled = true;
    try {
      const booking = await api('/bookings', { method: 'POST', body: { slotId: held.result.slot.id, holdToken: held.token, ...body } });
      release();
      confirmBooking(booking);
      onChange();
    } catch (e) {
      k.book.disabled = !held;
      if (e.status === 409 && e.code === 'slot_unavailable') return taken('Ce créneau vient d’être pris par quelqu’un d’autre.', e.alternatives ?? null);
      say(k['patient-error'], e.message);
      if (e.status === 400) showFieldErrors(e);
    }
  });

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
    try {
      const filed = await api('/requests', {
        method: 'POST',
        body: { patient: body.patient, location: { communeCode }, modalities: k.modality.value ? [k.modality.value] : undefined },
      });
      release();
      confirmRequest(filed);
      onChange();
    } catch (e) {
      say(k['patient-error'], e.message);
      if (e.status === 400) showFieldErrors(e);
    }
  });

  function confirmBooking(b) {
    const p = b.patient ?? {};
    k['confirmation-title'].textContent = 'Rendez-vous confirmé';
    k['read-out'].textContent =
      `À lire au patient : rendez-vous ${when(b.slot.start)} avec ${doctor(b.practitioner)}, ${b.practice.name}, ${b.practice.address}. ` +
      `Téléphone du cabinet : ${phone(b.practice.phone)}.`;
    k['confirmation-details'].replaceChildren(
      ...details([
        ['Patient', person(p)],
        ['Quand', when(b.slot.start)],
        ['Modalité', MODALITIES[b.slot.modality] ?? b.slot.modality],
        ['Médecin', doctor(b.practitioner)],
        ['Cabinet', b.practice.name],
        ['Adresse', b.practice.address],
        ['Téléphone', phone(b.practice.phone)],
      ]),
    );
    showConfirmation();
  }

  function confirmRequest(r) {
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
    release();
    k.patient.reset();
    for (const key of Object.values(PATIENT_FIELDS)) fieldError(k[key], '');
    say(k['patient-error'], '');
    k.confirmation.hidden = true;
    k['patient-card'].hidden = true;
    k.search.reset();
    lastQuery = lastPlace = null;
    k.place.focus();
  });

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
  list.replaceChildren(...communes.map((c) => h('option', { value: communeLabel(c), dataset: { code: c.code } })));
  throw new Error(communes.length ? `Plusieurs communes ont le code postal ${place.postcode} : choisissez-la dans la liste.` : `Aucune commune n’a le code postal ${place.postcode}.`);
}
