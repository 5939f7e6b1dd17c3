import { Page } from 'playwright-core';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, Harness, patient } from '../support/harness';
import { chateaudunScene, clearChateaudun, parisTime, Scene, typePatient } from './territory';

/** « Disponibilités »: the regulation centre watches free slots around a place and books for a caller. */
describe('web: the regulation centre’s availability view', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let regulator: Account;
  let bonnevalGp: { id: string; account: Account };

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    regulator = await h.account('regulator');
    const id = (await h.practitioner(scene.bonneval.id, { minPatientAgeMonths: 0 })).id;
    bonnevalGp = { id, account: await h.account('gp', { practitionerId: id }) };
  });

  /** The communes listed, as « name distance free ». */
  const byCommune = (page: Page) =>
    page.locator('#availability-by-commune tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent).join(' ')));

  it('lists free slots per commune (nearest first) and per hour, and follows a booking made elsewhere and one made here', async () => {
    const mine = await h.publish(scene.gp.account, scene.gp.id, [60, 75, 90]);
    await h.publish(bonnevalGp.account, bonnevalGp.id, [120]);

    const page = await web.page({ clock: true });
    await signIn(page, regulator.email, 'Disponibilités');
    await page.getByLabel('Commune ou code postal', { exact: true }).fill('Châteaudun');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#availability-by-commune caption', { hasText: '4 créneaux libres' }).waitFor();
    expect(await byCommune(page)).toEqual(['Châteaudun 0 km 3', expect.stringMatching(/^Bonneval 1[23](,\d)? km 1$/)]);
    // Châteaudun's first free slot is the soonest published there.
    expect(await page.locator('#availability-by-commune tbody tr').first().textContent()).toContain(parisTime(mine[0].start));
    const perHour = await page.locator('#availability-hours tbody tr td:nth-child(2)').allTextContents();
    expect(perHour.reduce((n, t) => n + Number(t.trim()), 0)).toBe(4);
    expect(await page.locator('#availability-updated').textContent()).toMatch(/^Mis à jour à \d\d:\d\d:\d\d ; actualisation automatique toutes les 30 secondes\.$/);
    await web.shot(page, 'regulator-availability');

    // A secretary books one of Châteaudun's slots: the page shows it at its next refresh, without a click.
    await h.as(scene.secretary).post('/bookings').send({ slotId: mine[0].id, patient: patient() }).expect(201);
    await page.clock.fastForward(31_000);
    await page.locator('#availability-by-commune caption', { hasText: '3 créneaux libres' }).waitFor();
    expect((await byCommune(page))[0]).toBe('Châteaudun 0 km 2');

    // The regulator books for a caller with the same flow as a secretariat: the view follows at once.
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    const rows = page.locator('#reg-results tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain(parisTime(mine[1].start));
    await rows.first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: 'Fontaine', firstName: 'Marc', birthDate: '1972-03-08', phone: '06 44 55 66 77' });
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    await page.locator('#availability-by-commune caption', { hasText: '2 créneaux libres' }).waitFor();
    expect((await byCommune(page))[0]).toBe('Châteaudun 0 km 1');
    await web.shot(page, 'regulator-booked');

    const { body } = await h.as(regulator).get('/bookings').expect(200);
    expect(body.bookings.find((b: any) => b.slot.id === mine[1].id)).toMatchObject({ channel: 'regulation', patient: { lastName: 'Fontaine' } });

    // The place watched is remembered: after a reload the view is there at once.
    await page.reload();
    await page.locator('#availability-by-commune caption', { hasText: '2 créneaux libres' }).waitFor();
    expect(await page.getByLabel('Commune ou code postal', { exact: true }).inputValue()).toBe('Châteaudun (28200)');
  });

  it('says what to fix when the place is unknown or ambiguous', async () => {
    const page = await web.page();
    await signIn(page, regulator.email, 'Disponibilités');
    await page.getByLabel('Commune ou code postal', { exact: true }).fill('Zzyzx-sur-Rien');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#availability-error', { hasText: 'Aucune commune ne correspond à « Zzyzx-sur-Rien »' }).waitFor();
    // Two communes are called Bonneval: written with its postcode (as the suggestions write it, even
    // when none was picked), it is found; alone, the page asks which.
    await page.getByLabel('Commune ou code postal', { exact: true }).fill('Bonneval (28800)');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#availability-updated', { hasText: 'Mis à jour' }).waitFor();
    expect(await page.locator('#availability-error').isHidden()).toBe(true);
    await page.getByLabel('Commune ou code postal', { exact: true }).fill('Bonneval');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#availability-error', { hasText: 'Plusieurs communes correspondent à « Bonneval »' }).waitFor();
  });
});
