// The day's bookings (made or received) and the requests filed, with cancel: secretariat and regulation.
import { $, api, dayBounds, doctor, h, person, say, sequence, time, when } from './lib.js';

const BOOKING_STATUS = { confirmed: 'confirmé', attended: 'venu', no_show: 'non venu', cancelled: 'annulé' };
const REQUEST_STATUS = { pending: 'en attente', matched: 'réservé', unmatched: 'sans créneau', cancelled: 'annulée' };

/**
 * Asks for a confirmation in the page's dialog; answers the reason typed (cancellations), '' when
 * no reason is asked, or null when the user keeps things as they are (button or Escape).
 */
export function confirmDialog({ title = 'Annuler le rendez-vous', what, confirm = 'Confirmer l’annulation', keep = 'Garder le rendez-vous', reason = true }) {
  const dialog = $('cancel-dialog');
  $('cancel-title').textContent = title;
  $('cancel-what').textContent = what;
  $('cancel-confirm').textContent = confirm;
  $('cancel-keep').textContent = keep;
  $('cancel-reason-field').hidden = !reason;
  $('cancel-reason').value = '';
  // Escape closes without a button: returnValue must not keep the last confirmation.
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm' ? (reason ? $('cancel-reason').value.trim() : '') : null), { once: true });
  });
}

export const confirmCancel = (what) => confirmDialog({ what });

/** Renders only when what is shown changed, so a periodic refresh does not take the keyboard focus away. */
export function renderer(render) {
  let last;
  return (data, force = false) => {
    const key = JSON.stringify(data);
    if (!force && key === last) return;
    last = key;
    render(data);
  };
}

/** « Rendez-vous du jour »: today's bookings of the user's side (GET /bookings), cancellable. */
export function mountBookings(container, { user, title = 'Rendez-vous d’aujourd’hui et de demain' }) {
  const status = h('p', { class: 'small', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const body = h('div');
  const id = `bookings-${Math.random().toString(36).slice(2, 8)}`;
  container.replaceChildren(h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), status, body));
  const latest = sequence();
  const show = renderer((bookings) => render(bookings));

  async function refresh() {
    const fresh = latest();
    try {
      const { bookings } = await api('/bookings', { query: dayBounds(0, 2) });
      if (fresh()) show(bookings);
    } catch (e) {
      if (fresh()) say(status, e.message);
    }
  }

  function side(b) {
    if (user.practiceId && b.practice.id === user.practiceId) return b.bookedBy.practiceId === user.practiceId ? 'pris et reçu chez nous' : 'reçu';
    return 'pris par nous';
  }

  function render(bookings) {
    if (!bookings.length) {
      body.replaceChildren(h('p', { class: 'empty' }, 'Aucun rendez-vous aujourd’hui ni demain pour le moment.'));
      return;
    }
    body.replaceChildren(
      h('table', { class: 'list' },
        h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, ...['Quand', 'Patient', 'Médecin', 'Cabinet', 'Sens', 'État'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Action')))),
        h('tbody', {}, bookings.map((b) =>
          h('tr', { class: b.status === 'cancelled' ? 'muted' : undefined },
            h('td', {}, when(b.slot.start)),
            h('td', {}, person(b.patient)),
            h('td', {}, doctor(b.practitioner)),
            h('td', {}, b.practice.name),
            h('td', {}, side(b)),
            h('td', {}, BOOKING_STATUS[b.status] ?? b.status),
            h('td', {}, b.status === 'confirmed' && Date.parse(b.slot.start) > Date.now()
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Annuler le rendez-vous de ${person(b.patient)} à ${time(b.slot.start)}`, onclick: () => cancel(b) }, 'Annuler')
              : ''),
          ))),
      ),
    );
  }

  async function cancel(b) {
    const reason = await confirmCancel(`${person(b.patient)}, ${when(b.slot.start)} avec ${doctor(b.practitioner)} (${b.practice.name}).`);
    if (reason === null) return;
    try {
      await api(`/bookings/${b.id}/cancel`, { method: 'POST', body: reason ? { reason } : {} });
      say(status, `Rendez-vous de ${person(b.patient)} annulé : le créneau est de nouveau libre.`);
    } catch (e) {
      say(status, e.message);
    }
    await refresh();
    // The row's button is gone: the focus goes to what happened.
    status.focus();
  }

  refresh();
  return { refresh };
}

/** « Demandes déposées »: the requests filed by the user's side (GET /requests), the pending ones cancellable. */
export function mountRequests(container) {
  const status = h('p', { class: 'small', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const body = h('div');
  const id = `requests-${Math.random().toString(36).slice(2, 8)}`;
  container.replaceChildren(h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, 'Demandes déposées pour le moteur'), status, body));
  const latest = sequence();
  const show = renderer((requests) => render(requests));

  async function refresh() {
    const fresh = latest();
    try {
      const requests = await api('/requests');
      const recent = requests.filter((r) => r.status === 'pending' || Date.parse(r.createdAt) > Date.now() - 36 * 3600_000).slice(0, 50);
      if (fresh()) show(recent);
    } catch (e) {
      if (fresh()) say(status, e.message);
    }
  }

  function render(requests) {
    if (!requests.length) {
      body.replaceChildren(h('p', { class: 'empty' }, 'Aucune demande ces dernières 36 heures.'));
      return;
    }
    body.replaceChildren(
      h('table', { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Demandes déposées'),
        h('thead', {}, h('tr', {}, ...['Déposée', 'Patient', 'État', 'Échéance', 'Rendez-vous'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Action')))),
        h('tbody', {}, requests.map((r) =>
          h('tr', {},
            h('td', {}, when(r.createdAt)),
            h('td', {}, person(r.patient)),
            h('td', { class: `state-${r.status}` }, REQUEST_STATUS[r.status] ?? r.status),
            h('td', {}, when(r.deadline)),
            h('td', {}, r.booking ? `${when(r.booking.slot.start)}, ${doctor(r.booking.practitioner)}, ${r.booking.practice.name}` : ''),
            h('td', {}, r.status === 'pending'
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Annuler la demande de ${person(r.patient)}`, onclick: () => cancel(r) }, 'Annuler')
              : ''),
          ))),
      ),
    );
  }

  async function cancel(r) {
    const ok = await confirmDialog({ title: 'Annuler la demande', what: `Demande pour ${person(r.patient)} : le moteur ne cherchera plus de créneau.`, confirm: 'Annuler la demande', keep: 'Garder la demande', reason: false });
    if (ok === null) return;
    try {
      await api(`/requests/${r.id}/cancel`, { method: 'POST', body: {} });
      say(status, `Demande de ${person(r.patient)} annulée.`);
    } catch (e) {
      say(status, e.message);
    }
    await refresh();
    status.focus();
  }

  refresh();
  return { refresh };
}
