import { readFileSync } from 'fs';
import { DateTime } from 'luxon';
import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { withRppsCheckDigit } from '../../src/directory/rpps';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, eventually, Harness, isolatedPlace, patient, randomRpps, unique } from '../support/harness';
import { TEST_ADMIN } from '../support/test-config';
import { chateaudunScene, clearChateaudun, typePatient } from './territory';

const ZONE = 'Europe/Paris';
/** Pau: a commune of the CPTS no other story files a request in (a CPTS's requests include the regulation's in its communes). */
const PAU = '64445';
/**
 * How far back the seeded slots are moved once booked, so that they have started (outcomes) or passed
 * unused: they then start 5 to 40 minutes before the story began. (Within those first minutes of a
 * Monday, or of a month, they would fall in the week or month before, and the figures with them.)
 */
const BACK_MINUTES = 50;

/** Spaces as a French number or percent is written (narrow no-break space) made plain, for comparisons. */
const plain = (s: string | null) => (s ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

/** The tiles shown, label → value. */
const tiles = (page: Page) =>
  page.locator('#dashboard-tiles .tile').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.querySelector('dt')!.textContent, (el.querySelector('dd')!.textContent ?? '').replace(/[\u202f\u00a0]/g, ' ')])));

/** A table's body, row by row, cell texts. */
const rowsOf = (page: Page, selector: string) =>
  page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/[\u202f\u00a0]/g, ' ').trim())));

/** Moves slots (and what their bookings copied of them) back in time: their consultations have started, or they passed free. */
async function moveBack(h: Harness, slotIds: string[], minutes = BACK_MINUTES) {
  const ds = h.app.get(DataSource);
  await ds.query(`UPDATE slot SET starts_at = starts_at - make_interval(mins => $2), ends_at = ends_at - make_interval(mins => $2) WHERE id = ANY($1::uuid[])`, [slotIds, minutes]);
  await ds.query(`UPDATE booking SET slot_starts_at = slot_starts_at - make_interval(mins => $2) WHERE slot_id = ANY($1::uuid[])`, [slotIds, minutes]);
}

/**
 * A CPTS of its own (somewhere no other story is, its commune Pau) seen by its coordination: three
 * GPs (Aubert and Vasseur publish, Lemoine does not), a secretariat, the regulation. Over today:
 *
 * - requests: 4 filed by the secretariat — 1 matched by the engine (on Vasseur's first slot), 1 left
 *   pending, 1 unmatched, 1 cancelled;
 * - bookings: 6 — 2 by the secretariat (Aubert: one attended, one not come), 2 by the regulation
 *   (Aubert: attended; Vasseur: cancelled, its slot free again), 1 by the engine, 1 by the
 *   coordination; 2 of patients without a médecin traitant;
 * - slots: Aubert 5 (4 booked, 1 passed free), Vasseur 3 (1 booked, 2 passed free): 5 of 8 booked.
 */
async function dashboardScene(h: Harness) {
  const place = await isolatedPlace(h);
  const communityId = await h.community([PAU]);
  const practice = await h.practice(communityId, { name: unique('Maison de santé des Gaves'), location: place });
  const secretariat = await h.practice(communityId, { name: unique('Cabinet du Pont'), location: place });
  const gp = async (firstName: string, lastName: string) => {
    const id = (await h.practitioner(practice.id, { firstName, lastName: unique(lastName), minPatientAgeMonths: 0 })).id;
    return { id, account: await h.account('gp', { practitionerId: id }) };
  };
  const aubert = await gp('Louise', 'Aubert');
  const vasseur = await gp('Paul', 'Vasseur');
  const lemoine = await gp('Inès', 'Lemoine');
  const secretary = await h.account('secretary', { practiceId: secretariat.id });
  const coordinator = await h.account('coordinator', { communityId });
  const regulator = await h.account('regulator');
  const ds = h.app.get(DataSource);

  // The engine books the request on the only slot around: Vasseur's.
  const [a1] = await h.publish(vasseur.account, vasseur.id, [10], 5);
  const matched = (await h.as(secretary).post('/requests').send({ patient: patient({ lastName: 'Moteur', hasReferringGp: true }), location: place, maxDistanceKm: 3 }).expect(202)).body;
  await eventually(async () => (await h.as(secretary).get(`/requests/${matched.id}`).expect(200)).body, (r) => r.status === 'matched');

  const b = await h.publish(aubert.account, aubert.id, [12, 17, 22, 27, 32], 5);
  const [a2, a3] = await h.publish(vasseur.account, vasseur.id, [16, 21], 5);
  const book = async (who: Account, slotId: string, over: Record<string, unknown>) =>
    (await h.as(who).post('/bookings').send({ slotId, patient: patient(over) }).expect(201)).body;
  const attended = await book(secretary, b[0].id, { lastName: 'Honore', hasReferringGp: false });
  const missed = await book(secretary, b[1].id, { lastName: 'Absent', hasReferringGp: false });
  const regulated = await book(regulator, b[2].id, { lastName: 'Regule', hasReferringGp: true });
  const cancelled = await book(regulator, a2.id, { lastName: 'Annule', hasReferringGp: true });
  await book(coordinator, b[3].id, { lastName: 'Coordonne', hasReferringGp: true });
  await h.as(regulator).post(`/bookings/${cancelled.id}/cancel`).send({}).expect(200);

  await moveBack(h, [a1, ...b, a2, a3].map((s) => s.id));
  await h.as(aubert.account).post(`/bookings/${attended.id}/outcome`).send({ outcome: 'attended' }).expect(200);
  await h.as(aubert.account).post(`/bookings/${missed.id}/outcome`).send({ outcome: 'no_show' }).expect(200);
  await h.as(aubert.account).post(`/bookings/${regulated.id}/outcome`).send({ outcome: 'attended' }).expect(200);

  // Far from every practice: these stay without a slot.
  const far = async (lastName: string) =>
    (await h.as(secretary).post('/requests').send({ patient: patient({ lastName }), location: await isolatedPlace(h), maxDistanceKm: 2 }).expect(202)).body;
  await far('Attente');
  const unmatched = await far('Orientee');
  await ds.query(`UPDATE snp_request SET status = 'unmatched', status_changed_at = now() WHERE id = $1`, [unmatched.id]);
  const withdrawn = await far('Retiree');
  await h.as(secretary).post(`/requests/${withdrawn.id}/cancel`).send({}).expect(200);

  return { communityId, coordinator, aubert, vasseur, lemoine };
}

/** The counters of the scene, as the tiles show them (any period that holds today). */
const SEEDED = {
  'Demandes SNP déposées': '4',
  'Demandes satisfaites (RDV trouvé)': '1',
  'Demandes restées sans créneau': '1',
  'Demandes annulées': '1',
  'Demandes en attente': '1',
  'Demandes satisfaites par un RDV dans les 24 h': '1',
  'RDV SNP pris': '6',
  'RDV pris par un secrétariat': '2',
  'RDV pris par la régulation': '2',
  'RDV pris par le moteur (demandes)': '1',
  'RDV pris par la coordination': '1',
  'RDV dans les 24 h suivant la prise': '6',
  'RDV honorés': '2',
  'Patients non venus': '1',
  'RDV annulés': '1',
  'Créneaux SNP publiés': '8',
  'Créneaux réservés': '5',
  'Créneaux passés sans patient': '3',
  'Taux de remplissage des créneaux': '63 %',
  'Praticiens membres de la CPTS': '3',
  'Praticiens ayant publié des créneaux': '2',
  'RDV de patients sans médecin traitant': '2',
};

describe('web: the coordination’s dashboard', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Awaited<ReturnType<typeof dashboardScene>>;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    scene = await dashboardScene(h);
  }, 60_000);

  const today = () => DateTime.now().setZone(ZONE);

  it('shows this month’s counters as tiles, the weekly charts with their tables, the CSV, and the table per GP, sortable', async () => {
    const page = await web.page();
    await signIn(page, scene.coordinator.email, 'Coordination');
    const month = { from: today().startOf('month').toISODate()!, to: today().endOf('month').toISODate()! };
    // This month by default, Paris calendar days.
    expect(await page.getByLabel('Période').inputValue()).toBe('month');
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe(month.from);
    expect(await page.getByLabel('Au (inclus)').inputValue()).toBe(month.to);
    await page.locator('#dashboard-status', { hasText: 'Chiffres' }).waitFor();
    expect(await tiles(page)).toEqual(SEEDED);

    // One row per ISO week of the month; today's week holds it all.
    const weeks: number[] = [];
    for (let monday = today().startOf('month').startOf('week'); monday <= today().endOf('month'); monday = monday.plus({ weeks: 1 })) weeks.push(monday.weekNumber);
    const row = (cells: string[]) => (n: number) => [expect.stringMatching(new RegExp(`^Semaine ${n} \\(`)), ...(n === today().weekNumber ? cells : cells.map((c) => (c.endsWith('%') ? '—' : '0')))];
    expect(await rowsOf(page, '#dashboard-requests-data')).toEqual(weeks.map(row(['4', '1', '1'])));
    expect(await rowsOf(page, '#dashboard-channels-data')).toEqual(weeks.map(row(['2', '2', '1', '1'])));
    // Fill rate 5 / 8; no-show 1 / (2 attended + 1 not come).
    expect(await rowsOf(page, '#dashboard-rates-data')).toEqual(weeks.map(row(['63 %', '33 %'])));
    expect(await page.locator('#dashboard-requests-data thead th').allTextContents()).toEqual(['Semaine', 'Déposées', 'Satisfaites', 'Restées sans créneau']);
    expect(await page.locator('#dashboard-requests-data caption').textContent()).toBe('Demandes SNP par semaine : les chiffres');
    // Chart.js, served by the app, drew the three charts (under the page's Content-Security-Policy).
    await page.waitForFunction(() => Object.keys((globalThis as any).Chart?.instances ?? {}).length === 3);
    expect(await page.locator('#dashboard-charts canvas[role="img"]').count()).toBe(3);
    // The tables hidden on screen take no room: nothing to scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

    // The table per GP: by name first, then by the column clicked, up, then down.
    const gpRows = () => rowsOf(page, '#dashboard-gp-table');
    const header = (name: string) => page.locator('#dashboard-gp-table th', { has: page.getByRole('button', { name }) });
    const [aubert, lemoine, vasseur] = await gpRows();
    expect(aubert).toEqual([expect.stringMatching(/^Dr Louise Aubert-/), expect.stringMatching(/^Maison de santé des Gaves/), '5', '4', '2', '1', '1']);
    expect(lemoine).toEqual([expect.stringMatching(/^Dr Inès Lemoine-/), expect.any(String), '0', '0', '0', '0', '0']);
    expect(vasseur).toEqual([expect.stringMatching(/^Dr Paul Vasseur-/), expect.any(String), '3', '1', '0', '0', '0']);
    expect(await header('Médecin').getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Créneaux publiés' }).click();
    expect((await gpRows()).map((r) => r[0].split(' ')[2].replace(/-.*/, ''))).toEqual(['Lemoine', 'Vasseur', 'Aubert']);
    expect(await header('Créneaux publiés').getAttribute('aria-sort')).toBe('ascending');
    expect(await header('Médecin').getAttribute('aria-sort')).toBeNull();
    await page.getByRole('button', { name: 'Créneaux publiés' }).click();
    expect((await gpRows()).map((r) => r[0].split(' ')[2].replace(/-.*/, ''))).toEqual(['Aubert', 'Vasseur', 'Lemoine']);
    expect(await header('Créneaux publiés').getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('#dashboard-gp-sorted').textContent()).toBe('Tableau trié par « Créneaux publiés », ordre décroissant.');
    // The focus stays on the header clicked.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Créneaux publiés/);
    await web.shot(page, 'dashboard');

    // The CSV of the period, fetched with the token and offered as a file: a French spreadsheet's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`indicateurs-snp-${month.from}-${month.to}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('indicateur;libelle;valeur');
    expect(lines).toHaveLength(24);
    expect(lines).toEqual(expect.arrayContaining([
      'requests.filed;Demandes SNP déposées;4',
      'bookings.byChannel.regulation;RDV pris par la régulation;2',
      'bookings.noShow;Patients non venus;1',
      'slots.fillRate;Taux de remplissage des créneaux;0,63',
      '',
    ]));

    // The charts' tables, hidden on screen, shown on demand.
    const dataBox = page.locator('.chart-data', { has: page.locator('#dashboard-requests-data') });
    expect((await dataBox.boundingBox())!.width).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: 'Afficher les chiffres des graphiques' }).click();
    expect(await page.getByRole('button', { name: 'Afficher les chiffres des graphiques' }).getAttribute('aria-pressed')).toBe('true');
    expect((await dataBox.boundingBox())!.width).toBeGreaterThan(200);
    await page.getByRole('button', { name: 'Afficher les chiffres des graphiques' }).click();

    // On paper (A4's width within its margins): the controls go, the charts' tables come.
    await page.setViewportSize({ width: 703, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#dashboard-period').isVisible()).toBe(false);
    expect(await page.locator('#dashboard-rates-data').boundingBox()).toMatchObject({ width: expect.any(Number) });
    expect((await page.locator('#dashboard-rates-data').boundingBox())!.width).toBeGreaterThan(300);
    await web.shot(page, 'dashboard-print');
  });

  it('changes the period: last month, dates chosen by hand, and says what is wrong with them', async () => {
    const page = await web.page();
    await signIn(page, scene.coordinator.email, 'Coordination');
    await page.locator('#dashboard-status', { hasText: 'Chiffres' }).waitFor();

    const last = today().minus({ months: 1 });
    await page.getByLabel('Période').selectOption({ label: 'Le mois dernier' });
    await page.locator('#dashboard-period-title', { hasText: last.setLocale('fr').toFormat('LLLL yyyy') }).waitFor();
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe(last.startOf('month').toISODate());
    expect(await page.getByLabel('Au (inclus)').inputValue()).toBe(last.endOf('month').toISODate());
    const before = await tiles(page);
    expect(before['Demandes SNP déposées']).toBe('0');
    expect(before['RDV SNP pris']).toBe('0');
    expect(before['Taux de remplissage des créneaux']).toBe('—');
    // Members are those of today.
    expect(before['Praticiens membres de la CPTS']).toBe('3');

    // Today alone, typed: the period becomes « Dates choisies ».
    const day = today().toISODate()!;
    await page.getByLabel('Du', { exact: true }).fill(day);
    await page.getByLabel('Au (inclus)').fill(day);
    expect(await page.getByLabel('Période').inputValue()).toBe('custom');
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.locator('#dashboard-period-title', { hasText: `le ${today().day === 1 ? '1er' : today().day} ` }).waitFor();
    expect(await tiles(page)).toEqual(SEEDED);
    expect(await rowsOf(page, '#dashboard-channels-data')).toEqual([[expect.stringMatching(new RegExp(`^Semaine ${today().weekNumber} \\(`)), '2', '2', '1', '1']]);

    // Reversed: said next to the field, nothing asked of the server.
    await page.getByLabel('Du', { exact: true }).fill(today().plus({ days: 1 }).toISODate()!);
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.locator('#dashboard-to-error', { hasText: 'Le dernier jour est avant le premier' }).waitFor();
    expect(await page.getByLabel('Au (inclus)').getAttribute('aria-invalid')).toBe('true');
    // Longer than the API allows (366 days): its French message.
    await page.getByLabel('Du', { exact: true }).fill(today().minus({ days: 400 }).toISODate()!);
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.locator('#dashboard-error', { hasText: 'Période invalide' }).waitFor();
    await page.locator('#dashboard-to-error', { hasText: '366 jours' }).waitFor();
  });

  it('serves Chart.js’s one file from the app, and nothing else of the package', async () => {
    const chart = await fetch(`${web.url}/vendor/chart.js/chart.umd.min.js`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/javascript/);
    expect(await chart.text()).toContain('Chart.js v4.6.1');
    for (const other of ['chart.js', 'chart.umd.min.js.map', 'chunks/index.js', '../package.json']) {
      expect((await fetch(`${web.url}/vendor/chart.js/${other}`)).status).toBe(404);
    }
  });

  it('shows an admin every CPTS together, and says the table per GP is a CPTS’s', async () => {
    const page = await web.page();
    await signIn(page, TEST_ADMIN.email, 'Coordination', TEST_ADMIN.password);
    await page.locator('#dashboard-period-title', { hasText: 'Toutes les CPTS ensemble' }).waitFor();
    const all = await tiles(page);
    expect(Object.keys(all)).toEqual(Object.keys(SEEDED));
    expect(Number(all['Demandes SNP déposées'])).toBeGreaterThanOrEqual(4);
    expect(Number(all['RDV SNP pris'])).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#dashboard-practitioners').textContent()).toContain('Le tableau par médecin est celui d’une CPTS');
    expect(await page.locator('#dashboard-gp-table').count()).toBe(0);
  });
});

describe('web: a GP’s SNP add-ons of the week', () => {
  let h: Harness;
  let web: BrowserScene;

  browserStories((s) => ({ h, web } = s));

  it('counts the consultations the regulation sent that were attended, n / 20, with the reason of each other one', async () => {
    const place = await isolatedPlace(h);
    const communityId = await h.community([PAU]);
    const practiceId = (await h.practice(communityId, { location: place })).id;
    const rpps = randomRpps();
    const gpId = (await h.practitioner(practiceId, { rpps, firstName: 'Hélène', lastName: unique('Morel') })).id;
    const gp = await h.account('gp', { practitionerId: gpId });
    const regulator = await h.account('regulator');
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId, { location: place })).id });
    const ds = h.app.get(DataSource);

    const slots = await h.publish(gp, gpId, [10, 15, 20, 25, 30, 35, 40, 45], 5);
    const book = async (who: Account, i: number, over: Record<string, unknown> = {}) =>
      (await h.as(who).post('/bookings').send({ slotId: slots[i].id, patient: patient({ lastName: `Patient${i}`, hasReferringGp: true, ...over }) }).expect(201)).body;
    const bookings = [
      await book(regulator, 0),
      // Another GP is the patient's médecin traitant: still due.
      await book(regulator, 1, { referringGpRpps: randomRpps() }),
      await book(regulator, 2, { referringGpRpps: rpps }),
      await book(regulator, 3),
      await book(regulator, 4),
      await book(secretary, 5),
      await book(regulator, 6),
      await book(regulator, 7, { lastName: 'Dernier' }),
    ];
    await h.as(regulator).post(`/bookings/${bookings[4].id}/cancel`).send({}).expect(200);
    await moveBack(h, slots.map((s) => s.id));
    // Booked three days before the consultation: beyond 48 h.
    await ds.query(`UPDATE booking SET created_at = created_at - interval '3 days' WHERE id = $1`, [bookings[6].id]);
    for (const i of [0, 1, 2, 5, 6]) await h.as(gp).post(`/bookings/${bookings[i].id}/outcome`).send({ outcome: 'attended' }).expect(200);
    await h.as(gp).post(`/bookings/${bookings[3].id}/outcome`).send({ outcome: 'no_show' }).expect(200);

    const page = await web.page();
    await signIn(page, gp.email, 'Mes créneaux SNP');
    const counter = page.locator('#gp-add-ons-title');
    await counter.filter({ hasText: 'Majorations SNP cette semaine : 2 / 20' }).waitFor();
    expect(await page.locator('#gp-add-ons-title').locator('xpath=..').textContent()).toContain('NGAP, art. 14.1.3');
    const monday = DateTime.now().setZone(ZONE).startOf('week');
    expect(await page.locator('#gp-add-ons-summary').textContent()).toBe(
      `Les 8 consultations de la semaine ${monday.weekNumber} (du ${monday.setLocale('fr').toFormat('d LLLL')} au ${monday.plus({ days: 6 }).setLocale('fr').toFormat('d LLLL')})`,
    );
    await page.getByText('Les 8 consultations de la semaine').click();
    const at = (i: number) => DateTime.fromISO(slots[i].start).minus({ minutes: BACK_MINUTES }).setZone(ZONE).setLocale('fr').toFormat("cccc d LLLL, HH'h'mm");
    const expected = (last: string) => [
      [at(0), 'éligible, payable'],
      [at(1), 'éligible, payable'],
      [at(2), 'non : patient dont vous êtes le médecin traitant'],
      [at(3), 'non : pas (encore) venu'],
      [at(4), 'non : annulé'],
      [at(5), 'non : pas adressé par la régulation'],
      [at(6), 'non : au-delà de 48 h'],
      [at(7), last],
    ];
    expect(await rowsOf(page, '#gp-add-ons')).toEqual(expected('non : pas (encore) venu'));
    await web.shot(page, 'gp-add-ons');

    // The last patient came: one more, and the list stays open.
    await page.locator('#gp-slots tbody tr', { hasText: 'DERNIER Léa' }).getByRole('button', { name: /est venu/ }).click();
    await counter.filter({ hasText: 'Majorations SNP cette semaine : 3 / 20' }).waitFor();
    expect(await rowsOf(page, '#gp-add-ons')).toEqual(expected('éligible, payable'));
    expect(await page.locator('#gp-add-ons-details').getAttribute('open')).toBe('');
    const api = (await h.as(gp).get(`/practitioners/${gpId}/snp-add-ons`).expect(200)).body;
    expect(api).toMatchObject({ payable: 3, eligible: 3, limit: 20, overLimit: 0 });
  });
});

describe('web: the médecin traitant’s RPPS in the patient form', () => {
  let h: Harness;
  let web: BrowserScene;

  browserStories((s) => ({ h, web } = s));

  it('sends it with a booking and a request, and shows the API’s word on it next to the field', async () => {
    await clearChateaudun(h);
    const scene = await chateaudunScene(h);
    const [slot] = await h.publish(scene.gp.account, scene.gp.id, [60]);
    const valid = randomRpps();
    // The same ten digits, a wrong check digit.
    const wrong = valid.slice(0, 10) + String((Number(valid[10]) + 1) % 10);
    expect(withRppsCheckDigit(valid.slice(0, 10))).toBe(valid);

    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results tbody tr').first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: 'Leroy', firstName: 'Anna', birthDate: '1985-02-11', phone: '06 22 33 44 55' });
    const field = page.getByLabel('RPPS du médecin traitant (facultatif)');

    // Too short: said at once, nothing sent.
    await field.fill('1234');
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.locator('#sec-referring-gp-rpps-error', { hasText: 'Le numéro RPPS compte 11 chiffres.' }).waitFor();

    // Eleven digits with a wrong check digit: the API's 400 names the field, shown beside it.
    await field.fill(wrong);
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.locator('#sec-referring-gp-rpps-error', { hasText: 'clé de contrôle' }).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sec-referring-gp-rpps');
    await web.shot(page, 'finder-rpps-error');

    // Typed with spaces, as read off a letter: sent as 11 digits.
    await field.fill(`${valid.slice(0, 3)} ${valid.slice(3, 7)} ${valid.slice(7)}`);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/bookings') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    expect(JSON.parse((await sent).postData()!).patient).toMatchObject({ referringGpRpps: valid });
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    const { body } = await h.as(scene.secretary).get('/bookings').expect(200);
    expect(body.bookings.find((b: any) => b.slot.id === slot.id).patient).toMatchObject({ lastName: 'Leroy', hasReferringGp: true, referringGpRpps: valid });

    // A request carries it too; left empty, it is not sent at all.
    await page.getByRole('button', { name: 'Nouvelle recherche' }).click();
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results .empty, #sec-results caption').first().waitFor();
    await typePatient(page, { lastName: 'Caron', firstName: 'Théo', birthDate: '1979-09-30', phone: '06 33 44 55 66' });
    await field.fill(valid);
    const filed = page.waitForResponse((r) => r.url().endsWith('/api/v1/requests') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Déposer une demande pour le moteur' }).click();
    const request = await (await filed).json();
    await page.getByRole('heading', { name: 'Demande déposée' }).waitFor();
    expect((await h.as(scene.secretary).get(`/requests/${request.id}`).expect(200)).body.patient).toMatchObject({ lastName: 'Caron', referringGpRpps: valid });
    // Not left waiting near Châteaudun, where the next story files publish.
    await h.as(scene.secretary).post(`/requests/${request.id}/cancel`).send({}).expect(200);

    await page.getByRole('button', { name: 'Nouvelle recherche' }).click();
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results .empty, #sec-results caption').first().waitFor();
    await typePatient(page, { lastName: 'Blanc', firstName: 'Zoé', birthDate: '1992-04-03', phone: '06 44 55 66 77' });
    expect(await field.inputValue()).toBe('');
    const second = page.waitForResponse((r) => r.url().endsWith('/api/v1/requests') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Déposer une demande pour le moteur' }).click();
    const answer = await second;
    expect('referringGpRpps' in JSON.parse(answer.request().postData()!).patient).toBe(false);
    await page.getByRole('heading', { name: 'Demande déposée' }).waitFor();
    await h.as(scene.secretary).post(`/requests/${(await answer.json()).id}/cancel`).send({}).expect(200);
  });
});
