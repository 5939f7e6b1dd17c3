// Shared by every page: the session, calls to the public API (/api/v1), DOM building and French formats.
import { DateTime } from '/vendor/luxon/luxon.mjs';

export { DateTime };
export const ZONE = 'Europe/Paris';
const API = '/api/v1';
const SESSION = 'snp.session';

export const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- session

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
  } catch {
    return null;
  }
}

export function saveSession(s) {
  if (s) sessionStorage.setItem(SESSION, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION);
}

let onExpired = () => {};
/** What to do when the API says the session is over (401). */
export function whenExpired(handler) {
  onExpired = handler;
}

/** An API answer that is not a success, with the server's French message. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `Erreur ${status}`);
    this.status = status;
    this.code = body?.error;
    this.details = body?.details ?? [];
    this.alternatives = body?.alternatives;
  }
}

const OFFLINE = 'Le service ne répond pas : vérifiez la connexion et réessayez.';

/**
 * Calls the API with the session's token and answers the parsed body; throws an ApiError (with the
 * server's French message) otherwise. A 401 ends the session.
 */
export async function api(path, { method = 'GET', body, query, accept, headers = {}, withServerTime = false, blob = false } = {}) {
  const s = session();
  const qs = query ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''))}` : '';
  let res;
  try {
    res = await fetch(`${API}${path}${qs}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(accept ? { accept } : {}),
        ...(s ? { authorization: `Bearer ${s.token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, { message: OFFLINE });
  }
  if (res.status === 401 && s) {
    onExpired();
    throw new ApiError(401, { message: 'Votre session a expiré : reconnectez-vous.' });
  }
  if (res.status === 204) return null;
  // A file to save (a CSV): its bytes as they came (res.text() would drop a byte-order mark), and the name the server gave it.
  if (blob && res.ok) return { blob: await res.blob(), filename: /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] };
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    if (res.status === 429) throw new ApiError(429, { message: 'Trop de demandes en peu de temps : patientez quelques secondes.' });
    if (res.status >= 500) throw new ApiError(res.status, { message: parsed?.message ?? 'Le service a rencontré une erreur : réessayez dans un instant.' });
    throw new ApiError(res.status, parsed);
  }
  // The server's clock (its Date header), for countdowns that must not trust the workstation's clock.
  return withServerTime ? { body: parsed, serverTime: Date.parse(res.headers.get('date') ?? '') || Date.now() } : parsed;
}

/**
 * Offers a file fetched with the session's token as a download (a plain link cannot carry the
 * token): through a Blob URL, released once the browser has taken it.
 */
export function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A random UUID, also on a plain-http intranet address (where crypto.randomUUID does not exist). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Answers only the latest of overlapping calls: `const fresh = latest(); … if (!fresh()) return;`. */
export function sequence() {
  let n = 0;
  return () => {
    const mine = ++n;
    return () => mine === n;
  };
}

// ---------------------------------------------------------------- DOM

/** Builds an element: h('td', { class: 'x', onclick: f }, 'text', child). Text is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (k === 'style') el.style.cssText = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/**
 * A list table: `columns` are header texts or { text, class }; `action` names a last column whose
 * header is read by screen readers only; `rows` are the <tr> elements.
 */
export function table({ caption, captionHidden = false, columns, action, rows, ...attrs }) {
  const th = (c) => (typeof c === 'string' ? h('th', { scope: 'col' }, c) : h('th', { scope: 'col', class: c.class }, c.text));
  return labelCells(h('table', { class: 'list', ...attrs },
    caption !== undefined && h('caption', captionHidden ? { class: 'visually-hidden' } : {}, caption),
    h('thead', {}, h('tr', {}, columns.map(th), action && h('th', { scope: 'col', dataset: { action: '' } }, h('span', { class: 'visually-hidden' }, action)))),
    h('tbody', {}, rows)));
}

/**
 * Readies a list table for a phone's width, where app.css shows each row as a card: each body cell
 * gets its column's header as `data-label` (shown before it; none for the action column, whose
 * buttons say what they do), and explicit table roles, which screen readers keep when CSS stops
 * displaying the table as one. Call it again after redrawing the body (a sorted table). Answers the table.
 */
export function labelCells(tableEl) {
  const headers = [...(tableEl.tHead?.rows[0]?.cells ?? [])];
  const labels = headers.map((th) => ('action' in th.dataset ? '' : th.textContent.replace(/[▲▼]/g, '').trim()));
  tableEl.setAttribute('role', 'table');
  for (const group of [tableEl.tHead, ...tableEl.tBodies]) group?.setAttribute('role', 'rowgroup');
  for (const th of headers) th.setAttribute('role', 'columnheader');
  for (const body of tableEl.tBodies) {
    for (const tr of body.rows) {
      tr.setAttribute('role', 'row');
      [...tr.cells].forEach((cell, i) => {
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        if (labels[i]) cell.dataset.label = labels[i];
      });
    }
  }
  tableEl.tHead?.rows[0]?.setAttribute('role', 'row');
  return tableEl;
}

/**
 * Runs a row's action: its outcome (or the API's message) in `status`, then `after()` (the list
 * redrawn, the row's button maybe gone) and the focus on `status`, so the keyboard user hears what happened.
 */
export async function act(status, call, done, after) {
  try {
    await call();
    say(status, done);
  } catch (e) {
    say(status, e.message);
  }
  await after();
  status.focus();
}

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

/** Shows a message in an element (role alert or status), or hides it when empty. */
export function say(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/**
 * Clones a <template>, giving each [data-k] element the id `${prefix}-${k}` and each label[data-for]
 * its `for`, so the same form can serve two pages with unique ids. Answers the fragment and a map k → element.
 */
export function instantiate(templateId, prefix) {
  const fragment = $(templateId).content.cloneNode(true);
  const parts = {};
  for (const el of fragment.querySelectorAll('[data-k]')) {
    el.id = `${prefix}-${el.dataset.k}`;
    parts[el.dataset.k] = el;
  }
  for (const label of fragment.querySelectorAll('label[data-for]')) label.htmlFor = `${prefix}-${label.dataset.for}`;
  for (const el of fragment.querySelectorAll('[data-list]')) el.setAttribute('list', `${prefix}-${el.dataset.list}`);
  for (const el of fragment.querySelectorAll('[data-describedby]')) el.setAttribute('aria-describedby', el.dataset.describedby.split(' ').map((k) => `${prefix}-${k}`).join(' '));
  return { fragment, parts };
}

/** Marks a field invalid with its message (read by screen readers), or clears it. */
export function fieldError(input, message) {
  const errorId = `${input.id}-error`;
  let p = document.getElementById(errorId);
  if (!message) {
    input.removeAttribute('aria-invalid');
    p?.remove();
    return;
  }
  if (!p) {
    p = h('p', { id: errorId, class: 'field-error' });
    const field = input.closest('.field');
    if (field) field.append(p);
    else input.after(p);
  }
  p.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  const described = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  described.add(errorId);
  input.setAttribute('aria-describedby', [...described].join(' '));
}

// ---------------------------------------------------------------- formats (Europe/Paris, French)

export const paris = (iso) => DateTime.fromISO(iso, { zone: ZONE }).setLocale('fr');
export const now = () => DateTime.now().setZone(ZONE).setLocale('fr');
export const time = (iso) => paris(iso).toFormat("HH'h'mm");

/** « aujourd’hui », « demain » or « lundi 24 novembre ». */
export function day(iso) {
  const d = paris(iso).startOf('day');
  const today = now().startOf('day');
  if (+d === +today) return 'aujourd’hui';
  if (+d === +today.plus({ days: 1 })) return 'demain';
  return d.toFormat('cccc d LLLL');
}

export const when = (iso) => `${day(iso)} à ${time(iso)}`;
/** A distance; none when no place was searched (an agenda opened by its link). */
export const km = (n) => (n === null || n === undefined ? '—' : `${Number(n).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} km`);

/** +33237451234 → 02 37 45 12 34; other countries stay international. */
export function phone(e164) {
  if (!e164) return '';
  const m = /^\+33(\d{9})$/.exec(e164);
  return m ? `0${m[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ') : e164;
}

export const MODALITIES = { in_person: 'au cabinet', home_visit: 'visite à domicile', teleconsultation: 'téléconsultation' };
export const ROLE_NAMES = { secretary: 'secrétariat', gp: 'médecin', regulator: 'régulation', coordinator: 'coordination', admin: 'administration' };
const DOCTORS = ['general_practitioner', 'pediatrician'];
export const doctor = (p) => (DOCTORS.includes(p.profession) || !p.profession ? `Dr ${p.firstName} ${p.lastName}` : `${p.firstName} ${p.lastName}`);
export const person = (p) => (p ? `${p.lastName?.toUpperCase() ?? ''} ${p.firstName ?? ''}`.trim() : '');

/** An age given in months, as people say it: « 18 mois » under two years, then « 15 ans » (« 2 ans et 6 mois »). */
export function age(months) {
  const m = Math.max(0, Math.floor(Number(months) || 0));
  if (m < 24) return `${m} mois`;
  const years = Math.floor(m / 12);
  return m % 12 ? `${years} ans et ${m % 12} mois` : `${years} ans`;
}

/**
 * The API's 400 details (`[{field, messages}]`) next to the fields they are about: `fields` maps the
 * API's field names to inputs. The messages lose their leading English field name (« phone doit… »):
 * the label above says which field. Answers the first input marked, to focus, or undefined.
 */
export function showFieldErrors(error, fields) {
  let first;
  for (const d of error.details ?? []) {
    const input = fields[d.field];
    if (!input) continue;
    fieldError(input, d.messages.map((m) => {
      const text = m.replace(/^[a-zA-Z.]+ (?=doit|ne |n'|n’|est |contient )/, '');
      return text.charAt(0).toUpperCase() + text.slice(1);
    }).join(' ; '));
    first ??= input;
  }
  return first;
}

/** Start and end of a Paris day, `offset` days from today, as ISO instants. */
export function dayBounds(offset = 0, days = 1) {
  const start = now().startOf('day').plus({ days: offset });
  return { from: start.toISO(), to: start.plus({ days }).toISO() };
}

// ---------------------------------------------------------------- communes

/** Fills a <datalist> as the user types a commune name or postcode (GET /communes), debounced. */
export function communeAutocomplete(input, list) {
  let timer;
  let seq = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || optionFor(list, q)) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const { communes } = await api('/communes', { query: { q } });
        if (mine !== seq) return;
        offerCommunes(list, communes);
      } catch {
        /* suggestions are a help, not a step: typing stays possible */
      }
    }, 150);
  });
}

export const communeLabel = (c) => `${c.name} (${c.postcodes?.[0] ?? c.code})`;

const communeNames = new Map();
/** A commune's name for its INSEE code (GET /communes?q=<code>, asked once per code); the code itself if none is found. */
export function communeName(code) {
  if (!code) return Promise.resolve('');
  if (!communeNames.has(code)) {
    communeNames.set(code, api('/communes', { query: { q: code } })
      .then(({ communes }) => communes.find((c) => c.code === code)?.name ?? code)
      .catch(() => {
        communeNames.delete(code);
        return code;
      }));
  }
  return communeNames.get(code);
}

/** Puts places in a <datalist>: their label as the option's value, their INSEE code as data-code. */
export const offer = (list, places) => list.replaceChildren(...places.map((p) => h('option', { value: p.label, dataset: { code: p.code } })));
/** Puts communes of GET /communes in a <datalist>. */
export const offerCommunes = (list, communes) => offer(list, communes.map((c) => ({ label: communeLabel(c), code: c.code })));
const optionFor = (list, value) => [...list.options].find((o) => o.value === value);
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[-']/g, ' ').toLowerCase().trim();

/**
 * What the user typed, as a place for the API: a suggestion picked → its INSEE code; a postcode →
 * `postcode`; a name → the commune of that exact name (asks to choose when several share it).
 */
export async function resolvePlace(input, list) {
  const value = input.value.trim();
  if (!value) throw new Error('Indiquez la commune ou le code postal du patient.');
  const picked = optionFor(list, value);
  if (picked) return { communeCode: picked.dataset.code, label: value };
  if (/^\d{5}$/.test(value)) return { postcode: value, label: value };
  if (/^(2A|2B|\d{2})\d{3}$/i.test(value)) return { communeCode: value.toUpperCase(), label: value };
  // « Bonneval (28800) », as the suggestions (and the remembered place) write it: the postcode tells homonyms apart.
  const [, name, hint] = /^(.*?)\s*(?:\((\w{5})\))?$/.exec(value);
  const { communes } = await api('/communes', { query: { q: name } });
  const same = communes.filter((c) => fold(c.name) === fold(name) && (!hint || c.code === hint || c.postcodes?.includes(hint)));
  const found = same.length === 1 ? same[0] : communes.length === 1 ? communes[0] : null;
  if (!found) {
    offerCommunes(list, communes);
    throw new Error(
      communes.length
        ? `Plusieurs communes correspondent à « ${value} » : choisissez-la dans la liste ou tapez son code postal.`
        : `Aucune commune ne correspond à « ${value} » : vérifiez l’orthographe ou tapez le code postal.`,
    );
  }
  const label = communeLabel(found);
  input.value = label;
  offer(list, [{ label, code: found.code }]);
  return { communeCode: found.code, label };
}
