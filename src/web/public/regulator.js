// « Disponibilités »: free slots around a place per commune (nearest first) and per hour, refreshed
// automatically; below, the same search → hold → book flow as the secretariat, then what the
// regulation booked today and tomorrow (cancellable) and the requests it filed.
import { $, api, communeAutocomplete, day, h, km, now, offer, resolvePlace, say, sequence, table, time, when } from './lib.js';
import { mountFinder } from './finder.js';
import { mountBookings, mountRequests } from './lists.js';

const REFRESH_MS = 30_000;
const PLACE = 'snp.regulator.place';

export function mountRegulator(user, { agenda } = {}) {
  communeAutocomplete($('availability-place'), $('availability-places'));
  let query = null;
  let timer;
  const latest = sequence();

  async function show() {
    if (!query) return;
    // A late answer for a place no longer watched never overwrites the current one.
    const fresh = latest();
    try {
      const a = await api('/availability', { query });
      if (!fresh()) return;
      render(a);
      say($('availability-error'), '');
      $('availability-updated').textContent = `Mis à jour à ${now().toFormat('HH:mm:ss')} ; actualisation automatique toutes les ${REFRESH_MS / 1000} secondes.`;
    } catch (e) {
      if (fresh()) say($('availability-error'), e.message);
    }
  }

  function render(a) {
    const total = a.buckets.reduce((n, b) => n + b.freeSlots, 0);
    const communes = [...a.byCommune].sort((x, y) => x.distanceKm - y.distanceKm || y.freeSlots - x.freeSlots);
    $('availability-communes').replaceChildren(
      communes.length
        ? table({
          id: 'availability-by-commune',
          caption: `${total} créneau${total > 1 ? 'x' : ''} libre${total > 1 ? 's' : ''} dans les 24 heures, par commune (la plus proche d’abord)`,
          columns: ['Commune', { text: 'Distance', class: 'num' }, { text: 'Créneaux libres', class: 'num' }, 'Premier'],
          rows: communes.map((c) =>
            h('tr', { dataset: { commune: c.communeCode } },
              h('th', { scope: 'row' }, c.name),
              h('td', { class: 'num' }, km(c.distanceKm)),
              h('td', { class: 'num' }, String(c.freeSlots)),
              h('td', {}, when(c.nextStart)))),
        })
        : h('p', { class: 'empty' }, 'Aucun créneau libre dans ce rayon pour les 24 prochaines heures.'),
    );
    const max = Math.max(1, ...a.buckets.map((b) => b.freeSlots));
    $('availability-hours').replaceChildren(
      table({
        class: 'list hours',
        caption: 'Par heure',
        columns: ['Heure', 'Créneaux libres', { text: 'Médecins', class: 'num' }],
        rows: a.buckets.filter((b) => b.freeSlots > 0).map((b) =>
          h('tr', {},
            // The window runs over two days: tomorrow's hours say so.
            h('th', { scope: 'row' }, day(b.start) === 'aujourd’hui' ? time(b.start) : `${day(b.start)} ${time(b.start)}`),
            h('td', {}, h('span', { class: 'meter', style: `width:${Math.round((b.freeSlots / max) * 8)}rem`, 'aria-hidden': 'true' }), ` ${b.freeSlots}`),
            h('td', { class: 'num' }, String(b.practitioners)))),
      }),
    );
  }

  $('availability-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say($('availability-error'), '');
    try {
      const place = await resolvePlace($('availability-place'), $('availability-places'));
      query = { communeCode: place.communeCode, postcode: place.postcode, radiusKm: $('availability-radius').value };
      localStorage.setItem(PLACE, JSON.stringify({ label: $('availability-place').value, query }));
      // The caller is usually where the regulator looks: the search below starts from there.
      if ($('reg-place') && !$('reg-place').value) {
        $('reg-place').value = $('availability-place').value;
        if (place.communeCode) offer($('reg-places'), [{ label: $('availability-place').value, code: place.communeCode }]);
      }
    } catch (e) {
      return say($('availability-error'), e.message);
    }
    await show();
  });

  // The last place looked at, shown again at once (a regulator watches the same territory all shift).
  try {
    const last = JSON.parse(localStorage.getItem(PLACE) ?? 'null');
    if (last?.query) {
      query = last.query;
      $('availability-place').value = last.label;
      if (last.query.communeCode) offer($('availability-places'), [{ label: last.label, code: last.query.communeCode }]);
      show();
    }
  } catch {
    /* nothing remembered */
  }
  timer = setInterval(show, REFRESH_MS);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && show());

  const bookings = mountBookings($('regulator-bookings'), { user, title: 'Rendez-vous pris par la régulation, aujourd’hui et demain' });
  const requests = mountRequests($('regulator-requests'));
  // Opened by a slot's link on the SAS platform: that GP's agenda, ready to hold and book.
  const finder = mountFinder($('regulator-finder'), { prefix: 'reg', agenda, onChange: () => Promise.all([show(), bookings.refresh(), requests.refresh()]) });
  const lists = setInterval(() => Promise.all([bookings.refresh(), requests.refresh()]), REFRESH_MS);
  return { stop: () => { clearInterval(timer); clearInterval(lists); finder.stop(); } };
}
