// « Mes créneaux SNP »: publish today's or tomorrow's slots in a few clicks, the weekly template,
// who is booked on each slot, withdraw a free slot, record attended / no-show; the SNP add-ons
// (majorations) of the week.
import {
  $, act, api, confirmCancel, confirmDialog, dayBounds, h, MODALITIES, now, paris, person, phone, renderer, say, sequence, table, time, ZONE, DateTime,
} from './lib.js';

/** Why a consultation of the week gives no SNP add-on (GET /practitioners/:id/snp-add-ons). */
const ADD_ON_REASONS = {
  cancelled: 'annulé',
  not_attended: 'pas (encore) venu',
  not_regulated: 'pas adressé par la régulation',
  beyond_48h: 'au-delà de 48 h',
  own_patient: 'patient dont vous êtes le médecin traitant',
};

const WEEKDAYS = ['', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'];
const SLOT_STATUS = { free: 'libre', held: 'en cours de réservation', booked: 'réservé', cancelled: 'retiré' };
const OUTCOME = { attended: 'venu', no_show: 'non venu' };
const SLOT_MINUTES = [10, 15, 20, 30];

export async function mountGp(user) {
  const status = $('gp-slots-status');
  let practitioner;
  try {
    if (user.practitionerId) [practitioner] = (await api('/practitioners', { query: { id: user.practitionerId } })).practitioners;
  } catch (e) {
    say(status, e.message);
    return { stop() {} };
  }
  if (!practitioner) {
    say($('gp-publish-error'), 'Ce compte n’est rattaché à aucun praticien : demandez à la coordination de le relier à votre fiche.');
    return { stop() {} };
  }

  for (const select of [$('gp-modality'), $('tpl-modality')]) {
    select.replaceChildren(...practitioner.modalities.map((m) => h('option', { value: m }, MODALITIES[m] ?? m)));
  }
  for (const select of [$('gp-minutes'), $('tpl-minutes')]) {
    select.replaceChildren(...SLOT_MINUTES.map((m) => h('option', { value: m, selected: m === 15 }, `${m} min`)));
  }
  const today = now();
  /** The options carry the Paris date itself: a page left open past midnight publishes on the day it shows. */
  function dayOptions() {
    const d = now();
    const chosen = $('gp-day').value;
    if ($('gp-day').options[0]?.value === d.toISODate()) return;
    $('gp-day').replaceChildren(
      h('option', { value: d.toISODate() }, `Aujourd’hui, ${d.toFormat('ccc d LLL')}`),
      h('option', { value: d.plus({ days: 1 }).toISODate() }, `Demain, ${d.plus({ days: 1 }).toFormat('ccc d LLL')}`),
    );
    // The day chosen stays chosen (yesterday's « demain » is today's « aujourd’hui »).
    if (chosen && chosen >= d.toISODate()) $('gp-day').value = chosen;
    preview();
  }
  dayOptions();
  // The evening, tomorrow's morning is what a GP publishes; during the day, the next quarter hour after a
  // short delay (08:30 before 08:00).
  if (today.hour >= 18) $('gp-day').selectedIndex = 1;
  else if (today.hour >= 8) {
    const next = today.plus({ minutes: 30 }).startOf('minute');
    $('gp-start').value = next.plus({ minutes: (15 - (next.minute % 15)) % 15 }).toFormat('HH:mm');
  }
  $('tpl-from').value = today.toISODate();

  // ------------------------------------------------------------ publish

  /** The slots the form describes, in Paris time (luxon, so DST days are right). */
  function planned() {
    const [hh, mm] = ($('gp-start').value || '').split(':').map(Number);
    const count = Number($('gp-count').value);
    const minutes = Number($('gp-minutes').value);
    if (!Number.isInteger(hh) || !Number.isInteger(mm)) throw new Error('Indiquez l’heure du premier créneau (hh:mm).');
    if (!Number.isInteger(count) || count < 1 || count > 40) throw new Error('Le nombre de créneaux va de 1 à 40.');
    const day = DateTime.fromISO($('gp-day').value, { zone: ZONE });
    const first = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: hh, minute: mm }, { zone: ZONE });
    return Array.from({ length: count }, (_, i) => {
      const start = first.plus({ minutes: i * minutes });
      return { start, end: start.plus({ minutes }) };
    });
  }

  function preview() {
    try {
      const slots = planned();
      $('gp-preview').textContent = `${slots.length} créneau${slots.length > 1 ? 'x' : ''} de ${$('gp-minutes').value} min le ${slots[0].start.setLocale('fr').toFormat('cccc d LLLL')} : ${slots.map((s) => s.start.toFormat("HH'h'mm")).join(', ')}.`;
    } catch (e) {
      $('gp-preview').textContent = e.message;
    }
  }
  for (const id of ['gp-day', 'gp-start', 'gp-count', 'gp-minutes']) $(id).addEventListener('input', preview);
  preview();

  $('gp-publish').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('gp-publish-error');
    say(error, '');
    let slots;
    try {
      slots = planned();
    } catch (e) {
      return say(error, e.message);
    }
    if (slots[0].start <= DateTime.now()) return say(error, `Le premier créneau (${slots[0].start.toFormat("HH'h'mm")}) est déjà passé : choisissez une heure plus tardive, ou demain.`);
    const audiences = checkedAudiences('gp-audiences');
    if (!audiences.length) return say(error, 'Cochez à qui ces créneaux sont proposés : les cabinets de la CPTS, la régulation, ou les deux.');
    const button = event.submitter ?? $('gp-publish').querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { slots: made } = await api('/slots', {
        method: 'POST',
        body: { practitionerId: practitioner.id, slots: slots.map((s) => ({ start: s.start.toISO(), end: s.end.toISO(), modality: $('gp-modality').value, audiences })) },
      });
      say(status, `${made.length} créneau${made.length > 1 ? 'x' : ''} publié${made.length > 1 ? 's' : ''} : ${made.map((s) => time(s.start)).join(', ')}.`);
      await refreshSlots();
    } catch (e) {
      say(error, e.code === 'slot_overlap' ? 'Un de ces créneaux chevauche un créneau déjà publié : changez l’heure de début ou le nombre.' : e.message);
    } finally {
      button.disabled = false;
    }
  });

  // ------------------------------------------------------------ slots of today and tomorrow

  const latestSlots = sequence();
  const showSlots = renderer(({ slots, bookings }) => renderSlots(slots, new Map(bookings.map((b) => [b.slot.id, b]))));
  async function refreshSlots() {
    const fresh = latestSlots();
    try {
      // From 12 hours ago: last evening's consultations can still be marked « Venu » after midnight.
      const range = { from: now().minus({ hours: 12 }).toISO(), to: dayBounds(0, 2).to };
      const [{ slots }, { bookings }] = await Promise.all([
        api('/slots', { query: { practitionerId: practitioner.id, ...range } }),
        api('/bookings', { query: range }),
      ]);
      if (!fresh()) return;
      // Past slots change state on their own (a « Venu » button appears): part of what is compared.
      const started = slots.filter((s) => Date.parse(s.start) <= Date.now()).length;
      showSlots({ slots: slots.filter((s) => s.status !== 'cancelled'), bookings: bookings.filter((b) => b.status !== 'cancelled'), started });
      dayOptions();
    } catch (e) {
      if (fresh()) say(status, e.message);
    }
  }

  function renderSlots(slots, bySlot) {
    const box = $('gp-slots');
    if (!slots.length) {
      box.replaceChildren(h('p', { class: 'empty' }, 'Aucun créneau SNP publié aujourd’hui ni demain.'));
      return;
    }
    const days = groupBy(slots);
    box.replaceChildren(
      ...[...days].map(([iso, list]) => {
        const label = DateTime.fromISO(iso, { zone: ZONE }).setLocale('fr').toFormat('cccc d LLLL');
        return table({
          caption: `${label} : ${list.length} créneau${list.length > 1 ? 'x' : ''}`,
          columns: ['Heure', 'Modalité', 'État', 'Patient'],
          action: 'Actions',
          rows: list.map((s) => slotRow(s, bySlot.get(s.id))),
        });
      }),
    );
  }

  function slotRow(s, b) {
    const started = Date.parse(s.start) <= Date.now();
    const at = `${time(s.start)}`;
    let actions = '';
    if (s.status === 'free' && !started) actions = h('button', { type: 'button', class: 'secondary', 'aria-label': `Retirer le créneau de ${at}`, onclick: () => withdraw(s) }, 'Retirer');
    else if (b && b.status === 'confirmed' && started) {
      actions = h('span', { class: 'inline' },
        h('button', { type: 'button', 'aria-label': `${person(b.patient)} est venu (${at})`, onclick: () => outcome(b, 'attended') }, 'Venu'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `${person(b.patient)} n’est pas venu (${at})`, onclick: () => outcome(b, 'no_show') }, 'Pas venu'));
    } else if (b && b.status === 'confirmed') {
      actions = h('button', { type: 'button', class: 'secondary', 'aria-label': `Annuler le rendez-vous de ${at}`, onclick: () => cancel(b) }, 'Annuler le rendez-vous');
    }
    const who = b
      ? h('span', {}, h('strong', {}, person(b.patient)), b.patient?.birthDate ? ` (né·e le ${DateTime.fromISO(b.patient.birthDate).setLocale('fr').toFormat('d LLL yyyy')})` : '',
        b.patient?.phone ? h('br') : '', b.patient?.phone ? phone(b.patient.phone) : '', b.reason ? h('br') : '', b.reason ? h('span', { class: 'small' }, `Motif : ${b.reason}`) : '')
      : '';
    return h('tr', { class: started ? 'past' : undefined },
      h('td', {}, `${time(s.start)}–${time(s.end)}`),
      h('td', {}, MODALITIES[s.modality] ?? s.modality, s.audiences?.length === 1 ? h('br') : '', s.audiences?.length === 1 ? h('span', { class: 'small' }, AUDIENCE_ONLY[s.audiences[0]]) : ''),
      h('td', { class: `state-${s.status}` }, b && b.status !== 'confirmed' ? OUTCOME[b.status] : SLOT_STATUS[s.status] ?? s.status),
      h('td', {}, who),
      h('td', {}, actions),
    );
  }

  const withdraw = (s) => act(status, () => api(`/slots/${s.id}`, { method: 'DELETE' }), `Créneau de ${time(s.start)} retiré.`, refreshSlots);

  // An outcome or a cancellation changes the week's add-ons too.
  const outcome = (b, value) =>
    act(status, () => api(`/bookings/${b.id}/outcome`, { method: 'POST', body: { outcome: value } }), `${person(b.patient)} : ${OUTCOME[value]}.`, refreshAll);

  async function cancel(b) {
    const reason = await confirmCancel(`${person(b.patient)}, ${time(b.slot.start)}.`);
    if (reason === null) return;
    await act(status, () => api(`/bookings/${b.id}/cancel`, { method: 'POST', body: reason ? { reason } : {} }),
      `Rendez-vous de ${time(b.slot.start)} annulé : le patient est prévenu, le créneau est de nouveau libre.`, refreshAll);
  }

  // ------------------------------------------------------------ SNP add-ons of the week

  const latestAddOns = sequence();
  const showAddOns = renderer(renderAddOns);
  async function refreshAddOns() {
    const fresh = latestAddOns();
    try {
      const counter = await api(`/practitioners/${practitioner.id}/snp-add-ons`);
      if (!fresh()) return;
      say($('gp-add-ons-status'), '');
      showAddOns(counter);
    } catch (e) {
      if (fresh()) say($('gp-add-ons-status'), e.message);
    }
  }

  /** « Majorations SNP cette semaine : n / 20 », and each consultation of the week behind it. */
  function renderAddOns(c) {
    $('gp-add-ons-title').textContent = `Majorations SNP cette semaine : ${c.payable} / ${c.limit}`;
    const monday = DateTime.fromISO(c.week, { zone: ZONE }).setLocale('fr');
    const n = c.bookings.length;
    $('gp-add-ons-summary').textContent =
      `${n === 0 ? 'Aucune consultation' : n === 1 ? 'La consultation' : `Les ${n} consultations`} de la semaine ${monday.weekNumber} (du ${monday.toFormat('d LLLL')} au ${monday.plus({ days: 6 }).toFormat('d LLLL')})` +
      (c.overLimit ? ` : ${c.overLimit} au-delà des ${c.limit}, non payable${c.overLimit > 1 ? 's' : ''}` : '');
    $('gp-add-ons').replaceChildren(
      n
        ? table({
          caption: 'Majoration SNP de chaque consultation de la semaine',
          captionHidden: true,
          columns: ['Consultation', 'Majoration SNP'],
          rows: c.bookings.map((b) =>
            h('tr', { class: b.eligible ? undefined : 'muted' },
              h('td', {}, paris(b.start).toFormat("cccc d LLLL, HH'h'mm")),
              h('td', {}, b.eligible ? (b.payable ? 'éligible, payable' : `éligible, au-delà des ${c.limit} de la semaine : non payable`) : `non : ${ADD_ON_REASONS[b.reason] ?? b.reason}`))),
        })
        : h('p', { class: 'empty' }, 'Aucun rendez-vous SNP cette semaine.'),
    );
  }

  const refreshAll = () => Promise.all([refreshSlots(), refreshAddOns()]);

  // ------------------------------------------------------------ calendar feed

  // « Ajouter à mon agenda »: a secret iCalendar URL for the GP's own agenda software (a new one retires the last).
  $('gp-calendar-create').addEventListener('click', async () => {
    say($('gp-calendar-error'), '');
    $('gp-calendar-create').disabled = true;
    try {
      const { url } = await api(`/practitioners/${practitioner.id}/calendar-feed`, { method: 'POST' });
      $('gp-calendar-url').value = url;
      $('gp-calendar-result').hidden = false;
      $('gp-calendar-create').textContent = 'Créer un nouveau lien (l’ancien ne marchera plus)';
      say($('gp-calendar-status'), 'Lien créé : copiez-le dans votre logiciel d’agenda (mode d’emploi ci-dessous).');
      $('gp-calendar-url').focus();
      $('gp-calendar-url').select();
    } catch (e) {
      say($('gp-calendar-error'), e.message);
    } finally {
      $('gp-calendar-create').disabled = false;
    }
  });
  $('gp-calendar-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('gp-calendar-url').value);
      say($('gp-calendar-status'), 'Adresse copiée.');
    } catch {
      $('gp-calendar-url').select();
      say($('gp-calendar-status'), 'Copie impossible ici : l’adresse est sélectionnée, copiez-la avec Ctrl+C.');
    }
  });

  // ------------------------------------------------------------ weekly template

  async function refreshTemplates() {
    const box = $('gp-templates');
    try {
      const { templates } = await api('/slot-templates', { query: { practitionerId: practitioner.id } });
      box.replaceChildren(
        templates.length
          ? h('ul', { class: 'templates' }, templates.map((t) =>
            h('li', {},
              h('span', {}, describe(t)),
              ' ',
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Arrêter le modèle ${describe(t)}`, onclick: () => endTemplate(t) }, 'Arrêter ce modèle'))))
          : h('p', { class: 'empty' }, 'Aucun modèle : les créneaux se publient jour par jour.'),
      );
    } catch (e) {
      say($('gp-template-error'), e.message);
    }
  }

  async function endTemplate(t) {
    const ok = await confirmDialog({
      title: 'Arrêter le modèle',
      what: `${describe(t)}. Ses créneaux libres à venir seront retirés ; les rendez-vous déjà pris restent.`,
      confirm: 'Arrêter le modèle',
      keep: 'Garder le modèle',
      reason: false,
    });
    if (ok === null) return;
    try {
      await api(`/slot-templates/${t.id}`, { method: 'DELETE' });
      say(status, 'Modèle arrêté : ses créneaux libres à venir sont retirés, les rendez-vous pris restent.');
    } catch (e) {
      say($('gp-template-error'), e.message);
    }
    await Promise.all([refreshTemplates(), refreshSlots()]);
    status.focus();
  }

  $('gp-template').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('gp-template-error');
    say(error, '');
    const weekdays = [...document.querySelectorAll('#gp-template input[name="weekday"]:checked')].map((c) => Number(c.value));
    if (!weekdays.length) return say(error, 'Cochez au moins un jour.');
    if (!$('tpl-start').value || !$('tpl-end').value) return say(error, 'Indiquez l’heure de début et de fin.');
    if ($('tpl-end').value <= $('tpl-start').value) return say(error, 'L’heure de fin doit être après l’heure de début.');
    if (!$('tpl-from').value) return say(error, 'Indiquez à partir de quel jour le modèle s’applique.');
    const audiences = checkedAudiences('tpl-audiences');
    if (!audiences.length) return say(error, 'Cochez à qui ces créneaux sont proposés : les cabinets de la CPTS, la régulation, ou les deux.');
    const button = event.submitter ?? $('gp-template').querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { generated } = await api('/slot-templates', {
        method: 'POST',
        body: {
          practitionerId: practitioner.id,
          weekdays,
          startTime: $('tpl-start').value,
          endTime: $('tpl-end').value,
          slotMinutes: Number($('tpl-minutes').value),
          modality: $('tpl-modality').value,
          audiences,
          validFrom: $('tpl-from').value,
          validUntil: $('tpl-until').value || undefined,
        },
      });
      say(status, `Modèle enregistré : ${generated} créneau${generated > 1 ? 'x' : ''} créé${generated > 1 ? 's' : ''} pour les prochains jours, puis chaque nuit.`);
    } catch (e) {
      say(error, e.message);
    } finally {
      button.disabled = false;
    }
    await Promise.all([refreshTemplates(), refreshSlots()]);
  });

  await Promise.all([refreshSlots(), refreshTemplates(), refreshAddOns()]);
  const timer = setInterval(refreshAll, 30_000);
  return { stop: () => clearInterval(timer) };
}

/** Who a one-audience slot is for, as the GP's list says it. */
const AUDIENCE_ONLY = { cpts: 'cabinets de la CPTS seulement', regulation: 'régulation (15 / SAS) seulement' };

/** The audiences ticked in a fieldset (`cpts`, `regulation`). */
const checkedAudiences = (id) => [...document.querySelectorAll(`#${id} input[name="audience"]:checked`)].map((c) => c.value);

/** « lun. mar. de 08h30 à 09h30, créneaux de 15 min, au cabinet[, régulation seulement][, jusqu’au …] ». */
function describe(t) {
  return `${t.weekdays.map((d) => WEEKDAYS[d]).join(' ')} de ${t.startTime.replace(':', 'h')} à ${t.endTime.replace(':', 'h')}, créneaux de ${t.slotMinutes} min, ${MODALITIES[t.modality] ?? t.modality}` +
    (t.audiences?.length === 1 ? `, ${AUDIENCE_ONLY[t.audiences[0]]}` : '') +
    (t.validUntil ? `, jusqu’au ${DateTime.fromISO(t.validUntil).setLocale('fr').toFormat('d LLLL yyyy')}` : '');
}

function groupBy(slots) {
  const m = new Map();
  for (const s of slots) {
    const k = DateTime.fromISO(s.start, { zone: ZONE }).toISODate();
    m.set(k, [...(m.get(k) ?? []), s]);
  }
  return m;
}
