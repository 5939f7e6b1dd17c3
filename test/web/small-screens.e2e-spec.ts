import { Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, eventually, Harness, isolatedPlace, patient, unique } from '../support/harness';
import { chateaudunScene, clearChateaudun, Scene, typePatient } from './territory';

/** A phone (an iPhone's 390 × 844) and a tablet held upright. */
const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

/**
 * Every role's page on a phone and on a tablet, with real data on it (bookings, requests, slots,
 * the dashboard): no sideways scrolling, the controls used on each call on screen and clickable,
 * and on the phone the list tables shown as cards whose cells carry their column's name.
 */
describe('web: every page on a phone (390 px) and a tablet (768 px)', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let regulator: Account;
  let coordinator: Account;
  /** The regulation's patients: names of their own (a regulator sees every booking and request of the regulation, other files' too). */
  const caller = unique('Fontaine');
  const filed = unique('Lemaire');

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    regulator = await h.account('regulator');
    coordinator = await h.account('coordinator', { communityId: scene.communityId });
    // Enough free slots for each page to hold one at both widths, and two booked: one by the
    // secretariat, one by the regulation (long names, as real ones can be).
    const slots = await h.publish(scene.gp.account, scene.gp.id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195]);
    const booked = (await h.as(scene.secretary).post('/bookings').send({ slotId: slots[0].id, patient: patient({ lastName: 'Moreau-Delacroix', firstName: 'Jean-Baptiste' }), reason: 'fièvre et toux depuis deux jours' }).expect(201)).body;
    await h.as(regulator).post('/bookings').send({ slotId: slots[1].id, patient: patient({ lastName: caller, firstName: 'Marc' }) }).expect(201);
    // Requests that stay pending (filed where no practice is), in each list.
    const place = await isolatedPlace(h);
    await h.as(scene.secretary).post('/requests').send({ patient: patient({ lastName: 'Garnier', firstName: 'Paul' }), location: place, maxDistanceKm: 2 }).expect(202);
    await h.as(regulator).post('/requests').send({ patient: patient({ lastName: filed, firstName: 'Rose' }), location: place, maxDistanceKm: 2 }).expect(202);
    // A message the service could not deliver, for the coordination's list (once the worker has handled it).
    const ds = h.app.get(DataSource);
    await eventually(async () => (await ds.query(`SELECT status FROM notification WHERE booking_id = $1 AND template = 'booking_confirmed_patient'`, [booked.id]))[0]?.status, (s) => s && s !== 'queued');
    await ds.query(`UPDATE notification SET status = 'failed', last_error = 'HTTP 503' WHERE booking_id = $1 AND template = 'booking_confirmed_patient'`, [booked.id]);
  });

  /** The page is no wider than the screen: nothing to scroll sideways. */
  async function fits(page: Page) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  /** A control on screen once scrolled to (wholly, sideways too) and clickable there (nothing over it). */
  async function reachable(page: Page, control: Locator) {
    await control.scrollIntoViewIfNeeded();
    const box = await control.boundingBox();
    const { width, height } = page.viewportSize()!;
    expect(box).not.toBeNull();
    expect({ left: box!.x >= 0, right: box!.x + box!.width <= width, top: box!.y >= 0, bottom: box!.y + box!.height <= height }).toEqual({ left: true, right: true, top: true, bottom: true });
    await control.click({ trial: true });
  }

  /** How the first cell of a list shows: on a phone a labelled block (a card's line), on a tablet a table cell. */
  const firstCell = (page: Page, selector: string) =>
    page.locator(`${selector} tbody td[data-label]`).first().evaluate((td) => ({ display: getComputedStyle(td).display, label: getComputedStyle(td, '::before').content }));

  async function expectCards(page: Page, selector: string, label: string, phone: boolean) {
    const cell = await firstCell(page, selector);
    // On the phone, the label is shown before the value (and not read: the cell's column header is).
    if (phone) expect(cell).toEqual({ display: 'flow-root', label: expect.stringMatching(new RegExp(`^"${label}"`)) });
    else expect(cell).toEqual({ display: 'table-cell', label: 'none' });
  }

  /**
   * A table as Chromium's accessibility tree gives it to screen readers (found by its name, its
   * caption): its column headers' names and its cells' names (what a screen reader reads in each).
   */
  async function axTable(page: Page, name: string) {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ nodeId: string; role?: { value: string }; name?: { value: string }; childIds?: string[] }> };
    await cdp.detach();
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const table = nodes.find((n) => n.role?.value === 'table' && n.name?.value === name);
    expect(table).toBeDefined();
    const found: Record<string, string[]> = { columnheaders: [], cells: [] };
    const walk = (id: string) => {
      const n = byId.get(id)!;
      if (n.role?.value === 'columnheader') found.columnheaders.push(n.name?.value ?? '');
      if (n.role?.value === 'cell') found.cells.push(n.name?.value ?? '');
      n.childIds?.forEach(walk);
    };
    walk(table!.nodeId);
    return found;
  }

  /** « Mon compte » opens within the screen, its button reachable; then closes. */
  async function accountDialog(page: Page, shot?: string) {
    await page.getByRole('button', { name: 'Mon compte' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mon compte' });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await reachable(page, dialog.getByRole('button', { name: 'Changer le mot de passe' }));
    if (shot) await web.shot(page, shot);
    await dialog.getByRole('button', { name: 'Fermer' }).click();
  }

  /** Searches around Châteaudun in a search-hold-book form, holds the first slot, types a patient. */
  async function searchAndHold(page: Page, prefix: 'sec' | 'reg') {
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByLabel('Âge du patient').fill('34');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator(`#${prefix}-results caption`).waitFor();
    await page.locator(`#${prefix}-results tbody tr`).first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: 'Roussel', firstName: 'Nina', birthDate: '1991-02-14', phone: '06 11 22 33 44' });
  }

  /** The search form's fields and button, and « Réserver le créneau retenu » (a slot held), at hand. */
  async function finderControls(page: Page, prefix: 'sec' | 'reg') {
    for (const id of ['place', 'age', 'age-unit', 'modality']) await reachable(page, page.locator(`#${prefix}-${id}`));
    await reachable(page, page.locator(`#${prefix}-search`).getByRole('button', { name: 'Chercher' }));
    await reachable(page, page.getByRole('button', { name: 'Réserver le créneau retenu' }));
  }

  it.each(SCREENS)('shows the sign-in form on a $name ($width px)', async ({ name, width, height }) => {
    const page = await web.page({ viewport: { width, height } });
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await fits(page);
    for (const control of [page.getByLabel('Adresse e-mail'), page.getByLabel('Mot de passe', { exact: true }), page.getByRole('button', { name: 'Se connecter' })]) await reachable(page, control);
    await web.shot(page, `small-${name}-sign-in`);
  });

  it.each(SCREENS)('lets the secretariat search, hold and book on a $name ($width px), its lists as cards', async ({ name, width, height }) => {
    const page = await web.page({ viewport: { width, height } });
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.locator('#secretary-bookings tbody tr', { hasText: 'MOREAU-DELACROIX Jean-Baptiste' }).waitFor();
    await page.locator('#secretary-requests tbody tr', { hasText: 'GARNIER Paul' }).waitFor();
    await searchAndHold(page, 'sec');
    await fits(page);
    await finderControls(page, 'sec');
    await reachable(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await reachable(page, page.locator('#secretary-bookings tbody tr', { hasText: 'MOREAU-DELACROIX' }).getByRole('button', { name: /^Annuler le rendez-vous/ }));
    await expectCards(page, '#sec-results', 'Quand', name === 'phone');
    await expectCards(page, '#secretary-bookings', 'Quand', name === 'phone');
    // Cards on screen, still a table for screen readers: Chromium's accessibility tree has its table, rows, headers and cells.
    const tree = await axTable(page, 'Rendez-vous du cabinet, aujourd’hui et demain (pris ou reçus)');
    expect(tree.columnheaders).toEqual(['Quand', 'Patient', 'Médecin', 'Cabinet', 'Sens', 'État', 'Action']);
    expect(tree.cells).toContain('MOREAU-DELACROIX Jean-Baptiste');
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.shot(page, `small-${name}-secretary`);
    await accountDialog(page);
    await fits(page);
  });

  it.each(SCREENS)('lets a GP publish and read their slots on a $name ($width px)', async ({ name, width, height }) => {
    const page = await web.page({ viewport: { width, height } });
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    await page.locator('#gp-slots tbody tr', { hasText: 'MOREAU-DELACROIX Jean-Baptiste' }).waitFor();
    await page.locator('#gp-add-ons-title', { hasText: 'Majorations SNP cette semaine :' }).waitFor();
    await fits(page);
    await reachable(page, page.getByRole('button', { name: 'Publier' }));
    await reachable(page, page.getByRole('button', { name: 'Enregistrer le modèle' }));
    await reachable(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await expectCards(page, '#gp-slots', 'Heure', name === 'phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.shot(page, `small-${name}-gp`);
    await accountDialog(page);
  });

  it.each(SCREENS)('shows the regulation’s view, its search and its bookings on a $name ($width px)', async ({ name, width, height }) => {
    const page = await web.page({ viewport: { width, height } });
    await signIn(page, regulator.email, 'Disponibilités');
    await page.getByLabel('Commune ou code postal', { exact: true }).fill('Châteaudun');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#availability-by-commune caption', { hasText: 'créneaux libres' }).waitFor();
    await page.locator('#regulator-bookings tbody tr', { hasText: `${caller.toUpperCase()} Marc` }).waitFor();
    await page.locator('#regulator-requests tbody tr', { hasText: `${filed.toUpperCase()} Rose` }).waitFor();
    await searchAndHold(page, 'reg');
    await fits(page);
    await reachable(page, page.locator('#availability-place'));
    await reachable(page, page.getByRole('button', { name: 'Afficher' }));
    await finderControls(page, 'reg');
    await reachable(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await reachable(page, page.getByRole('button', { name: new RegExp(`^Annuler le rendez-vous de ${caller.toUpperCase()} Marc`) }));
    await expectCards(page, '#availability-communes', 'Distance', name === 'phone');
    await expectCards(page, '#regulator-bookings', 'Quand', name === 'phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.shot(page, `small-${name}-regulator`);
    await accountDialog(page);
  });

  it.each(SCREENS)('shows the coordination’s dashboard, lists and forms on a $name ($width px)', async ({ name, width, height }) => {
    const page = await web.page({ viewport: { width, height } });
    await signIn(page, coordinator.email, 'Coordination');
    await page.locator('#dashboard-gp-table tbody tr').first().waitFor();
    await page.locator('#dashboard-charts canvas').first().waitFor();
    await page.locator('#failed-messages tbody tr').first().waitFor();
    await page.locator('#users-table tbody tr', { hasText: scene.secretary.email }).waitFor();
    await page.locator('#practices-table tbody tr').first().waitFor();
    for (const summary of ['Inscrire un cabinet', 'Inscrire un praticien', 'Créer un compte']) await page.getByText(summary, { exact: true }).click();
    await fits(page);
    await reachable(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await reachable(page, page.locator('#dashboard-period').getByRole('button', { name: 'Afficher' }));
    await reachable(page, page.getByRole('button', { name: 'Télécharger (CSV)' }));
    await reachable(page, page.locator('#dashboard-gp-table thead button').first());
    for (const button of ['Inscrire le cabinet', 'Inscrire le praticien', 'Créer le compte']) await reachable(page, page.getByRole('button', { name: button }));
    await reachable(page, page.getByRole('button', { name: `Désactiver le compte ${scene.secretary.email}` }));
    await expectCards(page, '#dashboard-gp-table', 'Cabinet', name === 'phone');
    await expectCards(page, '#users-table', 'Adresse e\u2011mail', name === 'phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.shot(page, `small-${name}-coordination`);
    await accountDialog(page, `small-${name}-account`);
  }, 45_000);
});
