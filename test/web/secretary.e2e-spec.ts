import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, Harness, patient } from '../support/harness';
import { bornMonthsAgo, chateaudunScene, clearChateaudun, parisTime, Scene, typePatient } from './territory';

/** The secretariat, on the phone with a patient: search, hold, book, read out; or file a request. */
describe('web: a secretary finds and books a slot during the call', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let regulator: Account;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    regulator = await h.account('regulator');
  });

  const resultRows = (page: Page) => page.locator('#sec-results tbody tr');

  async function searchNearChateaudun(page: Page, age: string, unit: 'mois' | 'ans') {
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByLabel('Âge du patient').fill(age);
    await page.getByLabel('Unité de l’âge').selectOption({ label: unit });
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results caption').waitFor();
  }

  it('searches near Châteaudun for an 8-month-old, holds a slot, books it and reads out the confirmation; then cancels it', async () => {
    const [soon, later] = await h.publish(scene.gp.account, scene.gp.id, [60, 75]);
    // Sooner, but this GP sees children from 6 years: not for an 8-month-old.
    await h.publish(scene.olderOnly.account, scene.olderOnly.id, [30]);

    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    // Suggestions from the official commune list as the secretary types.
    await page.getByLabel('Commune ou code postal du patient').pressSequentially('Châteaud');
    await page.locator('#sec-places option[value="Châteaudun (28200)"]').waitFor({ state: 'attached' });
    expect(await page.locator('#sec-places option[value="Châteaudun (28200)"]').getAttribute('data-code')).toBe('28088');
    await searchNearChateaudun(page, '8', 'mois');
    await web.shot(page, 'secretary-results');

    expect(await page.locator('#sec-results caption').textContent()).toMatch(/^2 créneaux libres dans les 24 heures/);
    const rows = await resultRows(page).allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(parisTime(soon.start));
    expect(rows[0]).toContain(`Dr Karim ${scene.gp.lastName}`);
    expect(rows[0]).toContain('12 rue de la République');
    expect(rows[0]).toContain('0 km');
    expect(rows[1]).toContain(parisTime(later.start));

    await resultRows(page).first().getByRole('button', { name: /^Retenir/ }).click();
    const timer = page.getByRole('timer');
    await timer.filter({ hasText: 'Retenu pour vous encore' }).waitFor();
    expect(await timer.textContent()).toMatch(/^Retenu pour vous encore [45] min \d\d s$/);
    const [held] = await h.app.get(DataSource).query(`SELECT status FROM slot WHERE id = $1`, [soon.id]);
    expect(held.status).toBe('held');
    // The focus goes to the patient's name: the secretary types on.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sec-last-name');

    await typePatient(page, { lastName: 'Moreau', firstName: 'Jules', birthDate: bornMonthsAgo(8), phone: '06 98 76 54 32' });
    await page.getByRole('group', { name: 'A un médecin traitant' }).getByLabel('non', { exact: true }).check();
    await web.shot(page, 'secretary-held');
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();

    const confirmation = page.getByRole('heading', { name: 'Rendez-vous confirmé' });
    await confirmation.waitFor();
    const readOut = await page.locator('#sec-read-out').textContent();
    expect(readOut).toContain(`à ${parisTime(soon.start)} avec Dr Karim ${scene.gp.lastName}`);
    expect(readOut).toContain('12 rue de la République, 28200 Châteaudun');
    expect(readOut).toContain('02 37 45 12 34');
    await web.shot(page, 'secretary-confirmation');

    const { body } = await h.as(scene.secretary).get('/bookings').expect(200);
    const booking = body.bookings.find((b: any) => b.slot.id === soon.id);
    expect(booking).toMatchObject({ status: 'confirmed', patient: { lastName: 'Moreau', firstName: 'Jules', hasReferringGp: false } });

    // The practice's list shows it (made by us), and it can be cancelled from there.
    const listed = page.locator('#secretary-bookings tbody tr', { hasText: 'MOREAU Jules' });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('pris par nous');
    await listed.getByRole('button', { name: /^Annuler le rendez-vous de MOREAU Jules/ }).click();
    await page.getByRole('dialog').getByLabel(/^Motif/).fill('le patient va mieux');
    await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
    await page.locator('#secretary-bookings [role="status"]', { hasText: 'annulé' }).waitFor();
    await page.locator('#secretary-bookings tbody tr', { hasText: 'MOREAU Jules' }).filter({ hasText: 'annulé' }).waitFor();
    const after = await h.as(scene.secretary).get(`/bookings/${booking.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled', cancelReason: 'le patient va mieux' });
    await web.shot(page, 'secretary-cancelled');
  });

  it('when someone took the slot meanwhile, says so, offers the alternatives and keeps what was typed', async () => {
    await clearChateaudun(h);
    const [first, second, third] = await h.publish(scene.gp.account, scene.gp.id, [120, 135, 150]);

    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await searchNearChateaudun(page, '34', 'ans');
    await resultRows(page).first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    const typed = { lastName: 'Lefèvre', firstName: 'Inès', birthDate: '1991-02-14', phone: '07 81 22 33 44' };
    await typePatient(page, typed);
    await page.getByLabel('Motif (facultatif, jamais envoyé par SMS)').fill('fièvre depuis hier');

    // The hold runs out while the secretary talks, and the regulation books that slot.
    await h.app.get(DataSource).query(`UPDATE slot SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [first.id]);
    await h.as(regulator).post('/bookings').send({ slotId: first.id, patient: patient() }).expect(201);

    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    const warning = page.locator('#sec-taken');
    await warning.filter({ hasText: 'vient d’être pris' }).waitFor();
    expect(await warning.textContent()).toContain('les informations du patient sont conservées');
    await page.locator('#sec-results caption', { hasText: /autres? créneaux? libres? proposés?/ }).waitFor();
    const alternatives = await resultRows(page).allTextContents();
    expect(alternatives.some((r) => r.includes(parisTime(second.start)))).toBe(true);
    expect(alternatives.some((r) => r.includes(parisTime(first.start)))).toBe(false);
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe(typed.lastName);
    expect(await page.getByLabel('Prénom').inputValue()).toBe(typed.firstName);
    expect(await page.getByLabel('Date de naissance').inputValue()).toBe(typed.birthDate);
    expect(await page.getByLabel('Téléphone').inputValue()).toBe(typed.phone);
    expect(await page.getByLabel('Motif (facultatif, jamais envoyé par SMS)').inputValue()).toBe('fièvre depuis hier');
    expect(await page.getByRole('button', { name: 'Réserver le créneau retenu' }).isDisabled()).toBe(true);
    await web.shot(page, 'secretary-slot-taken');

    // The regulation holds the next one first: « Retenir » says so, and still nothing typed is lost.
    await h.as(regulator).post(`/slots/${second.id}/hold`).expect(201);
    await resultRows(page).filter({ hasText: parisTime(second.start) }).getByRole('button', { name: /^Retenir/ }).click();
    await warning.filter({ hasText: 'pris ou retenu par quelqu’un d’autre' }).waitFor();
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe(typed.lastName);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sec-taken');

    // One click on an alternative, one on « Réserver »: nothing to type again.
    await resultRows(page).filter({ hasText: parisTime(third.start) }).getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    expect(await page.locator('#sec-read-out').textContent()).toContain(`à ${parisTime(third.start)}`);
    const { body } = await h.as(scene.secretary).get('/bookings').expect(200);
    expect(body.bookings.find((b: any) => b.slot.id === third.id)).toMatchObject({ patient: { lastName: 'Lefèvre', firstName: 'Inès' }, reason: 'fièvre depuis hier' });
  });

  it('says what to fix in the patient’s details, in French, next to each field', async () => {
    await clearChateaudun(h);
    await h.publish(scene.gp.account, scene.gp.id, [170]);
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await searchNearChateaudun(page, '40', 'ans');
    await resultRows(page).first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await page.getByLabel('Nom', { exact: true }).fill('Petit');
    await page.getByLabel('Téléphone').fill('12');
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.locator('#sec-patient-error', { hasText: 'Complétez' }).waitFor();
    expect(await page.getByLabel('Prénom').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#sec-first-name-error').textContent()).toBe('Indiquez le prénom du patient.');
    expect(await page.locator('#sec-phone-error').textContent()).toContain('trop court');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sec-first-name');
    await web.shot(page, 'secretary-patient-errors');

    // A phone number the API refuses: its message lands next to the field.
    await page.getByLabel('Prénom').fill('Louis');
    await page.getByLabel('Date de naissance').fill('1985-06-01');
    await page.getByLabel('Téléphone').fill('06 12 34 56 78 99 99');
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.locator('#sec-phone-error').waitFor();
    expect(await page.getByLabel('Téléphone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#sec-patient-error').textContent()).toBe('Vérifiez les champs signalés.');
    // The API's message, without its English field name: the label above says which field.
    expect(await page.locator('#sec-phone-error').textContent()).toMatch(/^Doit être un numéro de téléphone valide/);
  });

  it('files a request for the matching engine when nothing fits', async () => {
    await clearChateaudun(h);
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.getByRole('button', { name: /^Ville du cabinet/ }).click();
    expect(await page.getByLabel('Commune ou code postal du patient').inputValue()).toBe('Bonneval (28800)');
    await page.getByLabel('Modalité').selectOption({ label: 'Visite à domicile' });
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results .empty').waitFor();
    expect(await page.locator('#sec-results').textContent()).toContain('Aucun créneau libre');
    await typePatient(page, { lastName: 'Garnier', firstName: 'Paul', birthDate: '1950-09-30', phone: '06 55 44 33 22' });
    // A double click files one request (buttons wait, and the page sends an Idempotency-Key).
    await page.getByRole('button', { name: 'Déposer une demande pour le moteur' }).dblclick();
    await page.getByRole('heading', { name: 'Demande déposée' }).waitFor();
    expect(await page.locator('#sec-read-out').textContent()).toContain('Le moteur cherche un créneau jusqu’à');
    const row = page.locator('#secretary-requests tbody tr', { hasText: 'GARNIER Paul' });
    await row.waitFor();
    expect(await row.textContent()).toContain('en attente');
    await web.shot(page, 'secretary-request-filed');

    const { requests } = (await h.as(scene.secretary).get('/requests?status=pending').expect(200)).body;
    expect(requests.filter((r: any) => r.patient.lastName === 'Garnier')).toHaveLength(1);
    const filed = requests.find((r: any) => r.patient.lastName === 'Garnier');
    expect(filed).toMatchObject({ modalities: ['home_visit'], location: { communeCode: '28051' } });

    await row.getByRole('button', { name: 'Annuler la demande de GARNIER Paul' }).click();
    // Escape keeps it; the dialog's button cancels it.
    await page.keyboard.press('Escape');
    expect((await h.as(scene.secretary).get(`/requests/${filed.id}`).expect(200)).body.status).toBe('pending');
    await row.getByRole('button', { name: 'Annuler la demande de GARNIER Paul' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler la demande' }).click();
    await page.locator('#secretary-requests tbody tr', { hasText: 'GARNIER Paul' }).filter({ hasText: 'annulée' }).waitFor();
    expect((await h.as(scene.secretary).get(`/requests/${filed.id}`).expect(200)).body.status).toBe('cancelled');
  });
});
