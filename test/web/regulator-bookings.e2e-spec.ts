import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, Harness, patient, unique } from '../support/harness';
import { chateaudunScene, clearChateaudun, parisTime, Scene, typePatient } from './territory';

/** The regulation's page lists what it booked today and tomorrow, and cancels a booking with its reason. */
describe('web: the regulation’s bookings of today and tomorrow', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let regulator: Account;
  /** Names of their own: a regulator sees every booking of the regulation, other files' too. */
  const [FONTAINE, LEMAIRE, MOREAU, GIRARD] = ['Fontaine', 'Lemaire', 'Moreau', 'Girard'].map((n) => unique(n));

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    regulator = await h.account('regulator');
  });

  it('lists what the regulation booked (not what a secretariat booked), follows a booking made on the page, and cancels one with a reason', async () => {
    const [first, second, third, fourth] = await h.publish(scene.gp.account, scene.gp.id, [60, 75, 90, 105]);
    const fontaine = (await h.as(regulator).post('/bookings').send({ slotId: first.id, patient: patient({ lastName: FONTAINE, firstName: 'Marc' }) }).expect(201)).body;
    await h.as(regulator).post('/bookings').send({ slotId: second.id, patient: patient({ lastName: LEMAIRE, firstName: 'Rose' }) }).expect(201);
    await h.as(scene.secretary).post('/bookings').send({ slotId: third.id, patient: patient({ lastName: MOREAU, firstName: 'Jules' }) }).expect(201);

    const page = await web.page();
    await signIn(page, regulator.email, 'Disponibilités');
    const list = page.locator('#regulator-bookings');
    await list.locator('tbody tr', { hasText: `${FONTAINE.toUpperCase()} Marc` }).waitFor();
    expect(await list.getByRole('heading', { level: 2 }).textContent()).toBe('Rendez-vous pris par la régulation, aujourd’hui et demain');
    const rows = await list.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes(`${LEMAIRE.toUpperCase()} Rose`))).toBe(true);
    expect(rows.some((r) => r.includes(`${MOREAU.toUpperCase()} Jules`))).toBe(false);
    const fontaineRow = list.locator('tbody tr', { hasText: `${FONTAINE.toUpperCase()} Marc` });
    expect(await fontaineRow.textContent()).toContain(parisTime(first.start));
    expect(await fontaineRow.textContent()).toContain(`Dr Karim ${scene.gp.lastName}`);
    expect(await fontaineRow.textContent()).toContain('confirmé');
    // The regulation books only: no « Sens » column (booked / received) as a practice has.
    expect(await list.locator('thead th').allTextContents()).toEqual(['Quand', 'Patient', 'Médecin', 'Cabinet', 'État', 'Action']);

    // A booking made on the page joins the list at once.
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#reg-results tbody tr', { hasText: parisTime(fourth.start) }).getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: GIRARD, firstName: 'Lucie', birthDate: '1984-07-02', phone: '06 44 55 66 77' });
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    await list.locator('tbody tr', { hasText: `${GIRARD.toUpperCase()} Lucie` }).waitFor();
    await list.scrollIntoViewIfNeeded();
    await web.shot(page, 'regulator-bookings');

    // « Annuler »: the dialog asks the reason; Escape keeps the booking.
    const cancel = fontaineRow.getByRole('button', { name: `Annuler le rendez-vous de ${FONTAINE.toUpperCase()} Marc à ${parisTime(first.start)}` });
    await cancel.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    expect((await h.as(regulator).get(`/bookings/${fontaine.id}`).expect(200)).body.status).toBe('confirmed');
    await cancel.click();
    await dialog.getByLabel(/^Motif/).fill('patient orienté vers les urgences');
    await web.shot(page, 'regulator-bookings-cancel-dialog');
    await dialog.getByRole('button', { name: 'Confirmer l’annulation' }).click();
    await list.locator('[role="status"]', { hasText: `Rendez-vous de ${FONTAINE.toUpperCase()} Marc annulé` }).waitFor();
    await list.locator('tbody tr', { hasText: `${FONTAINE.toUpperCase()} Marc` }).filter({ hasText: 'annulé' }).waitFor();
    // The status line takes the focus: a screen reader says what happened.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
    expect(await list.locator('tbody tr', { hasText: `${FONTAINE.toUpperCase()} Marc` }).getByRole('button').count()).toBe(0);
    const after = (await h.as(regulator).get(`/bookings/${fontaine.id}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'patient orienté vers les urgences' });
    // The slot is free again, for the next caller.
    const { results } = (await h.as(regulator).get(`/slots/search?communeCode=28088`).expect(200)).body;
    expect(results.some((r: any) => r.slot.id === first.id)).toBe(true);
    await web.shot(page, 'regulator-bookings-cancelled');
  });
});
