// « Tableau de bord » of the coordination (coordinators: their CPTS; admins: every CPTS together):
// the mission's counters over a period of Paris days (GET /indicators), the same per ISO week as
// charts, each with its table of figures (GET /indicators/weekly), the CSV download, and the
// table per GP (GET /indicators/practitioners), sortable.
import { $, api, DateTime, doctor, fieldError, h, labelCells, now, saveFile, say, sequence, ZONE } from './lib.js';
// Every counter and its French label, in the CSV's order: the server's own list (src/reporting/indicators.ts).
import { LABELS } from './indicator-labels.js';

/** The tiles' groups: the first part of a counter's path. */
const GROUPS = [
  ['Demandes SNP', ['requests']],
  ['Rendez-vous SNP', ['bookings']],
  ['Créneaux', ['slots']],
  ['Praticiens et patients', ['practitioners', 'patients']],
];

const at = (o, path) => path.split('.').reduce((v, k) => v?.[k], o);
const integer = new Intl.NumberFormat('fr-FR');
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
/** A counter as the tiles and tables show it: a share in percent, « — » when nothing was counted. */
const shown = (path, v) => (v === null || v === undefined ? '—' : path.endsWith('Rate') ? percent.format(v) : integer.format(v));
/** Patients not seen among the consultations whose outcome is known; null when none is. */
const noShowRate = (b) => (b.attended + b.noShow > 0 ? b.noShow / (b.attended + b.noShow) : null);

// ---------------------------------------------------------------- Paris days

const parisDay = (iso) => DateTime.fromISO(iso, { zone: ZONE }).setLocale('fr');
/** « 1er novembre 2026 », « 30 novembre 2026 ». */
const longDay = (d) => `${d.day === 1 ? '1er' : d.day} ${d.toFormat('LLLL yyyy')}`;
/** « du 1er au 30 novembre 2026 », « du 1er janvier au 30 novembre 2026 », « le 30 novembre 2026 ». */
function periodText(from, to) {
  const a = parisDay(from);
  const b = parisDay(to);
  if (+a === +b) return `le ${longDay(b)}`;
  if (a.year !== b.year) return `du ${longDay(a)} au ${longDay(b)}`;
  if (a.month !== b.month) return `du ${a.day === 1 ? '1er' : a.day} ${a.toFormat('LLLL')} au ${longDay(b)}`;
  return `du ${a.day === 1 ? '1er' : a.day} au ${longDay(b)}`;
}

/** The periods offered, as Paris calendar days (both included). */
const PRESETS = {
  month: () => ({ from: now().startOf('month'), to: now().endOf('month') }),
  'previous-month': () => ({ from: now().minus({ months: 1 }).startOf('month'), to: now().minus({ months: 1 }).endOf('month') }),
  year: () => ({ from: now().startOf('year'), to: now() }),
};

/** A week of the series (`2026-W48`), cut to the period: its number and its days (« 23–29 nov. », « 30 nov.–6 déc. »). */
function weekOf(week, from, to) {
  const monday = DateTime.fromISO(week, { zone: ZONE }).setLocale('fr');
  const first = DateTime.max(monday, parisDay(from));
  const last = DateTime.min(monday.plus({ days: 6 }), parisDay(to));
  const days = +first === +last ? first.toFormat('d LLL') : first.month === last.month ? `${first.day}–${last.toFormat('d LLL')}` : `${first.toFormat('d LLL')}–${last.toFormat('d LLL')}`;
  return { number: monday.weekNumber, first, days };
}

// ---------------------------------------------------------------- charts

/** Chart.js, loaded the first time a chart is drawn (its one-file build sets globalThis.Chart). */
let chartJs;
const loadChartJs = () => (chartJs ??= import('/vendor/chart.js/chart.umd.min.js').then(() => {
  const Chart = globalThis.Chart;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#1b1f24';
  return Chart;
}));

/** Colours that keep 4.5:1 on white and stay apart in grey (the rates' second line is dashed). */
const COLOURS = { blue: '#0b5cad', green: '#116329', red: '#a30d1c', orange: '#a34f00', purple: '#6f42c1', grey: '#4a5561' };

/**
 * The weekly charts: what each shows, its series (a label, a colour, the value of a week) and how
 * its values read. `rate`: shares drawn in percent on a 0–100 scale.
 */
const CHARTS = [
  {
    id: 'requests',
    title: 'Demandes SNP par semaine',
    type: 'bar',
    series: [
      ['Déposées', COLOURS.blue, (w) => w.requests.filed],
      ['Satisfaites', COLOURS.green, (w) => w.requests.matched],
      ['Restées sans créneau', COLOURS.red, (w) => w.requests.unmatched],
    ],
  },
  {
    id: 'channels',
    title: 'RDV SNP par canal et par semaine',
    type: 'bar',
    stacked: true,
    series: [
      ['Secrétariats', COLOURS.blue, (w) => w.bookings.byChannel.secretary],
      ['Régulation', COLOURS.orange, (w) => w.bookings.byChannel.regulation],
      ['Moteur (demandes)', COLOURS.purple, (w) => w.bookings.byChannel.matching],
      ['Coordination', COLOURS.grey, (w) => w.bookings.byChannel.coordination],
    ],
  },
  {
    id: 'rates',
    title: 'Taux de remplissage et de patients non venus par semaine',
    type: 'line',
    rate: true,
    series: [
      ['Remplissage des créneaux', COLOURS.blue, (w) => w.slots.fillRate],
      ['Patients non venus', COLOURS.red, (w) => noShowRate(w.bookings)],
    ],
  },
];

/** A chart's figures as a table (caption, headers with their scope): what a screen reader reads, and what a printed page shows. */
function chartTable(chart, weeks, figures) {
  const cell = (v) => h('td', { class: 'num' }, v === null ? '—' : chart.rate ? percent.format(v) : integer.format(v));
  // In a box that hides it on screen: a table is never narrower than its content, the box can be.
  return h('div', { class: 'chart-data' }, labelCells(h('table', { class: 'list', id: `dashboard-${chart.id}-data` },
    h('caption', {}, `${chart.title} : les chiffres`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Semaine'), chart.series.map(([name]) => h('th', { scope: 'col', class: 'num' }, name)))),
    h('tbody', {}, figures.weeks.map((w, i) =>
      h('tr', {}, h('th', { scope: 'row' }, `Semaine ${weeks[i].number} (${weeks[i].days})`), chart.series.map(([, , value]) => cell(value(w)))))))));
}

// ---------------------------------------------------------------- the dashboard

export function mountDashboard(user) {
  const form = $('dashboard-period');
  const preset = $('dashboard-preset');
  const fromInput = $('dashboard-from');
  const toInput = $('dashboard-to');
  const status = $('dashboard-status');
  const error = $('dashboard-error');
  const box = $('dashboard');
  const latest = sequence();
  /** An admin sees every CPTS together; the table per GP is a CPTS's. */
  const allCpts = user.role === 'admin';
  let period;
  let charts = [];
  const sort = { key: 'name', ascending: true };

  function choose(name) {
    const p = PRESETS[name];
    if (!p) return;
    const { from, to } = p();
    fromInput.value = from.toISODate();
    toInput.value = to.toISODate();
  }

  function asked() {
    fieldError(fromInput, '');
    fieldError(toInput, '');
    if (!fromInput.value) fieldError(fromInput, 'Indiquez le premier jour de la période.');
    if (!toInput.value) fieldError(toInput, 'Indiquez le dernier jour de la période.');
    if (!fromInput.value || !toInput.value) return null;
    if (toInput.value < fromInput.value) {
      fieldError(toInput, 'Le dernier jour est avant le premier : la période commence par « Du ».');
      return null;
    }
    return { from: fromInput.value, to: toInput.value };
  }

  async function load() {
    say(error, '');
    const p = asked();
    if (!p) return (fromInput.getAttribute('aria-invalid') ? fromInput : toInput).focus();
    const fresh = latest();
    box.setAttribute('aria-busy', 'true');
    try {
      const [figures, weekly, perGp] = await Promise.all([
        api('/indicators', { query: p }),
        api('/indicators/weekly', { query: p }),
        allCpts ? null : api('/indicators/practitioners', { query: p }),
      ]);
      if (!fresh()) return;
      period = p;
      $('dashboard-period-title').textContent = `${allCpts ? 'Toutes les CPTS ensemble' : 'Chiffres de la CPTS'} ${periodText(p.from, p.to)}`;
      showTiles(figures);
      await showCharts(weekly, fresh);
      if (!fresh()) return;
      showPractitioners(perGp);
      say(status, `Chiffres ${allCpts ? 'de toutes les CPTS ' : ''}${periodText(p.from, p.to)}, à ${now().toFormat("HH'h'mm")}.`);
    } catch (e) {
      if (!fresh()) return;
      for (const d of e.details ?? []) if (d.field === 'from' || d.field === 'to') fieldError(d.field === 'from' ? fromInput : toInput, d.messages[0]);
      say(error, e.message);
    } finally {
      if (fresh()) box.removeAttribute('aria-busy');
    }
  }

  // ------------------------------------------------------------ tiles

  function showTiles(figures) {
    $('dashboard-tiles').replaceChildren(
      ...GROUPS.map(([title, roots], i) =>
        h('section', { class: 'tile-group', 'aria-labelledby': `dashboard-group-${i}` },
          h('h3', { id: `dashboard-group-${i}` }, title),
          h('dl', { class: 'tiles' },
            LABELS.filter(([path]) => roots.includes(path.split('.')[0])).map(([path, text]) =>
              h('div', { class: 'tile', dataset: { indicator: path } }, h('dt', {}, text), h('dd', {}, shown(path, at(figures, path)))))))),
    );
  }

  // ------------------------------------------------------------ weekly charts

  /** Draws the charts once Chart.js is there, unless a later period was asked meanwhile (`fresh`). */
  async function showCharts(weekly, fresh) {
    const weeks = weekly.weeks.map((w) => weekOf(w.week, weekly.from, weekly.to));
    for (const c of charts) c.destroy();
    charts = [];
    const container = $('dashboard-charts');
    const canvases = new Map();
    container.replaceChildren(
      ...CHARTS.map((chart) => {
        const canvas = h('canvas', {
          role: 'img',
          'aria-label': `Graphique « ${chart.title} » ; ses chiffres sont dans le tableau qui suit.`,
        }, `Les chiffres sont dans le tableau « ${chart.title} : les chiffres ».`);
        canvases.set(chart.id, canvas);
        return h('figure', { class: 'chart' },
          h('figcaption', {}, chart.title),
          h('div', { class: 'chart-box' }, canvas),
          chartTable(chart, weeks, weekly));
      }),
    );
    let Chart;
    try {
      Chart = await loadChartJs();
    } catch {
      // Without the charts' script, the tables are the charts.
      container.classList.add('show-data');
      return;
    }
    if (!fresh()) return;
    const labels = weeks.map((w) => [`sem. ${w.number}`, w.first.toFormat('d LLL')]);
    for (const chart of CHARTS) {
      const datasets = chart.series.map(([name, colour, value]) => ({
        label: name,
        data: weekly.weeks.map((w) => {
          const v = value(w);
          return chart.rate && v !== null ? Math.round(v * 100) : v;
        }),
        backgroundColor: colour,
        borderColor: colour,
        // Lines told apart in grey too: a round point and a solid line, a diamond and a dashed one.
        ...(chart.type === 'line' ? { borderWidth: 2, pointRadius: 5, ...(name === chart.series[0][0] ? { pointStyle: 'circle' } : { pointStyle: 'rectRot', borderDash: [6, 4] }) } : {}),
      }));
      charts.push(new Chart(canvases.get(chart.id), {
        type: chart.type,
        data: { labels, datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: 'fr-FR',
          // Sharp when printed, whatever the screen.
          devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
          plugins: {
            legend: { position: 'bottom', labels: { usePointStyle: chart.type === 'line' } },
            tooltip: chart.rate ? { callbacks: { label: (c) => `${c.dataset.label} : ${c.parsed.y} %` } } : {},
          },
          scales: {
            x: { stacked: !!chart.stacked, grid: { display: false } },
            y: chart.rate
              ? { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } }
              : { stacked: !!chart.stacked, beginAtZero: true, ticks: { precision: 0 } },
          },
        },
      }));
    }
  }

  // Printed on A4 (app.css: the chart's box is 180 × 70 mm there): drawn again at that size, then back.
  window.addEventListener('beforeprint', () => {
    for (const c of charts) c.resize(680, 265);
  });
  window.addEventListener('afterprint', () => {
    for (const c of charts) c.resize();
    document.body.classList.remove('print-dashboard');
  });

  // ------------------------------------------------------------ per GP

  /** The table's columns: header, the value to sort on, the cell. */
  const COLUMNS = [
    { key: 'name', text: 'Médecin', sortValue: (p) => `${p.lastName} ${p.firstName}`, cell: (p) => doctor(p) },
    { key: 'practice', text: 'Cabinet', sortValue: (p) => p.practice.name, cell: (p) => p.practice.name },
    { key: 'published', text: 'Créneaux publiés', num: true, sortValue: (p) => p.slots.published },
    { key: 'booked', text: 'Créneaux réservés', num: true, sortValue: (p) => p.slots.booked },
    { key: 'attended', text: 'RDV honorés', num: true, sortValue: (p) => p.bookings.attended },
    { key: 'noShow', text: 'Patients non venus', num: true, sortValue: (p) => p.bookings.noShow },
    { key: 'addOns', text: 'Majorations SNP payables cette semaine', num: true, sortValue: (p) => p.addOns.payable },
  ];
  const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

  function showPractitioners(perGp) {
    const container = $('dashboard-practitioners');
    if (!perGp) {
      container.replaceChildren(
        h('h3', {}, 'Par médecin'),
        h('p', { class: 'small' }, 'Le tableau par médecin est celui d’une CPTS : chaque coordination le voit pour la sienne. Les chiffres ci-dessus sont ceux de toutes les CPTS ensemble.'),
      );
      return;
    }
    const gps = perGp.practitioners;
    const week = DateTime.fromISO(perGp.week, { zone: ZONE }).setLocale('fr');
    const heading = h('h3', { id: 'dashboard-gp-title' }, 'Par médecin');
    if (!gps.length) {
      container.replaceChildren(heading, h('p', { class: 'empty' }, 'Aucun médecin inscrit dans la CPTS.'));
      return;
    }
    const sorted = h('p', { class: 'visually-hidden', role: 'status', id: 'dashboard-gp-sorted' });
    const tbody = h('tbody');
    const headers = COLUMNS.map((c) => {
      const arrow = h('span', { class: 'sort-arrow', 'aria-hidden': 'true' });
      const th = h('th', { scope: 'col', class: c.num ? 'num' : undefined },
        h('button', { type: 'button', class: 'sort', onclick: () => sortBy(c) }, c.text, arrow));
      return { c, th, arrow };
    });
    function draw() {
      const col = COLUMNS.find((c) => c.key === sort.key);
      const name = COLUMNS[0].sortValue;
      const ordered = [...gps].sort((a, b) => {
        const x = col.sortValue(a);
        const y = col.sortValue(b);
        const d = col.num ? x - y : collator.compare(x, y);
        return (sort.ascending ? d : -d) || collator.compare(name(a), name(b));
      });
      tbody.replaceChildren(...ordered.map((p) =>
        h('tr', {}, COLUMNS.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c.cell(p)) : h('td', { class: c.num ? 'num' : undefined }, c.num ? integer.format(c.sortValue(p)) : c.cell(p)))))));
      for (const { c, th, arrow } of headers) {
        if (c.key === sort.key) th.setAttribute('aria-sort', sort.ascending ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
        arrow.textContent = c.key === sort.key ? (sort.ascending ? ' ▲' : ' ▼') : '';
      }
      // Each cell labelled by its column (a phone shows the rows as cards).
      if (tbody.parentElement) labelCells(tbody.parentElement);
    }
    function sortBy(c) {
      if (sort.key === c.key) sort.ascending = !sort.ascending;
      else Object.assign(sort, { key: c.key, ascending: true });
      draw();
      sorted.textContent = `Tableau trié par « ${c.text} », ordre ${sort.ascending ? 'croissant' : 'décroissant'}.`;
    }
    draw();
    container.replaceChildren(
      heading,
      labelCells(h('table', { class: 'list sortable', id: 'dashboard-gp-table' },
        h('caption', {},
          `Créneaux et rendez-vous ${periodText(period.from, period.to)} ; majorations SNP de la semaine en cours (semaine ${week.weekNumber}, NGAP art. 14.1.3). Cliquez un en-tête pour trier.`),
        h('thead', {}, h('tr', {}, headers.map((x) => x.th))),
        tbody)),
      sorted,
    );
  }

  // ------------------------------------------------------------ controls

  preset.addEventListener('change', () => {
    if (preset.value === 'custom') return fromInput.focus();
    choose(preset.value);
    load();
  });
  // Dates typed: the period is the one chosen by hand, shown with « Afficher ».
  for (const input of [fromInput, toInput]) input.addEventListener('input', () => (preset.value = 'custom'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });

  $('dashboard-csv').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    say(error, '');
    const p = asked();
    if (!p) return;
    button.disabled = true;
    try {
      const file = await api('/indicators', { query: { ...p, format: 'csv' }, accept: 'text/csv', blob: true });
      saveFile(file.blob, file.filename ?? `indicateurs-snp-${p.from}-${p.to}.csv`);
      say(status, `Fichier CSV des chiffres ${periodText(p.from, p.to)} téléchargé.`);
    } catch (e) {
      say(error, e.message);
    } finally {
      button.disabled = false;
    }
  });

  $('dashboard-print').addEventListener('click', () => {
    // Only the dashboard on paper; the class goes with the afterprint event.
    document.body.classList.add('print-dashboard');
    window.print();
  });

  $('dashboard-show-data').addEventListener('click', (event) => {
    const on = event.currentTarget.getAttribute('aria-pressed') !== 'true';
    event.currentTarget.setAttribute('aria-pressed', String(on));
    $('dashboard-charts').classList.toggle('show-data', on);
  });

  choose('month');
  load();
}
