// The day's bookings (made or received) and the requests filed, with cancel: secretariat and regulation.
import { act, api, confirmCancel, confirmDialog, dayBounds, doctor, h, person, renderer, say, sequence, table, time, when } from './lib.js';

const BOOKING_STATUS = { confirmed: 'confirmé', attended: 'venu', no_show: 'non venu', cancelled: 'annulé' };
const REQUEST_STATUS = { pending: 'en attente', matched: 'réservé', unmatched: 'sans créneau', cancelled: 'annulée' };

/**
 * A card with a heading, a status line and a list redrawn by `refresh()` from `load()` (only the
 * latest of overlapping loads is shown, and only when it changed). `draw(items)` answers the node.
 */
function listCard(container, { prefix, title, load, draw }) {
  const status = h('p', { class: 'small', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const body = h('div');
  const id = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  container.replaceChildren(h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), status, body));
  const latest = sequence();
  const show = renderer((items) => body.replaceChildren(draw(items)));
  async function refresh() {
    const fresh = latest();
    try {
      const items = await load();
      if (fresh()) show(items);
    } catch (e) {
      if (fresh()) say(status, e.message);
    }
  }
  return { status, refresh };
}

/** « Rendez-vous du jour »: today's and tomorrow's bookings of the user's side (GET /bookings), cancellable. */
export function mountBookings(container, { user, title = 'Rendez-vous d’aujourd’hui et de demain' }) {
  const side = (b) => {
    if (user.practiceId && b.practice.id === user.practiceId) return b.bookedBy.practiceId === user.practiceId ? 'pris et reçu chez nous' : 'reçu';
    return 'pris par nous';
  };
  const card = listCard(container, {
    prefix: 'bookings',
    title,
    load: async () => (await api('/bookings', { query: dayBounds(0, 2) })).bookings,
    draw: (bookings) => bookings.length
      ? table({
        caption: title,
        captionHidden: true,
        // « Sens » tells a practice what it booked from what it received; the regulation only books.
        columns: ['Quand', 'Patient', 'Médecin', 'Cabinet', ...(user.practiceId ? ['Sens'] : []), 'État'],
        action: 'Action',
        rows: bookings.map((b) =>
          h('tr', { class: b.status === 'cancelled' ? 'muted' : undefined },
            h('td', {}, when(b.slot.start)),
            h('td', {}, person(b.patient)),
            h('td', {}, doctor(b.practitioner)),
            h('td', {}, b.practice.name),
            user.practiceId && h('td', {}, side(b)),
            h('td', {}, BOOKING_STATUS[b.status] ?? b.status),
            h('td', {}, b.status === 'confirmed' && Date.parse(b.slot.start) > Date.now()
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Annuler le rendez-vous de ${person(b.patient)} à ${time(b.slot.start)}`, onclick: () => cancel(b) }, 'Annuler')
              : ''),
          )),
      })
      : h('p', { class: 'empty' }, 'Aucun rendez-vous aujourd’hui ni demain pour le moment.'),
  });

  async function cancel(b) {
    const reason = await confirmCancel(`${person(b.patient)}, ${when(b.slot.start)} avec ${doctor(b.practitioner)} (${b.practice.name}).`);
    if (reason === null) return;
    await act(card.status, () => api(`/bookings/${b.id}/cancel`, { method: 'POST', body: reason ? { reason } : {} }),
      `Rendez-vous de ${person(b.patient)} annulé : le créneau est de nouveau libre.`, card.refresh);
  }

  card.refresh();
  return { refresh: card.refresh };
}

/** « Demandes déposées »: the requests filed by the user's side (GET /requests), the pending ones cancellable. */
export function mountRequests(container) {
  const card = listCard(container, {
    prefix: 'requests',
    title: 'Demandes déposées pour le moteur',
    load: async () => (await api('/requests')).requests.filter((r) => r.status === 'pending' || Date.parse(r.createdAt) > Date.now() - 36 * 3600_000).slice(0, 50),
    draw: (requests) => requests.length
      ? table({
        caption: 'Demandes déposées',
        captionHidden: true,
        columns: ['Déposée', 'Patient', 'État', 'Échéance', 'Rendez-vous'],
        action: 'Action',
        rows: requests.map((r) =>
          h('tr', {},
            h('td', {}, when(r.createdAt)),
            h('td', {}, person(r.patient)),
            h('td', { class: `state-${r.status}` }, REQUEST_STATUS[r.status] ?? r.status),
            h('td', {}, when(r.deadline)),
            h('td', {}, r.booking ? `${when(r.booking.slot.start)}, ${doctor(r.booking.practitioner)}, ${r.booking.practice.name}` : ''),
            h('td', {}, r.status === 'pending'
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Annuler la demande de ${person(r.patient)}`, onclick: () => cancel(r) }, 'Annuler')
              : ''),
          )),
      })
      : h('p', { class: 'empty' }, 'Aucune demande ces dernières 36 heures.'),
  });

  async function cancel(r) {
    const ok = await confirmDialog({ title: 'Annuler la demande', what: `Demande pour ${person(r.patient)} : le moteur ne cherchera plus de créneau.`, confirm: 'Annuler la demande', keep: 'Garder la demande', reason: false });
    if (ok === null) return;
    await act(card.status, () => api(`/requests/${r.id}/cancel`, { method: 'POST', body: {} }), `Demande de ${person(r.patient)} annulée.`, card.refresh);
  }

  card.refresh();
  return { refresh: card.refresh };
}
