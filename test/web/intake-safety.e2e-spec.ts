import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Harness, patient } from '../support/harness';
import { chateaudunScene, clearChateaudun, Scene, typePatient } from './territory';

/**
 * Clinical safety at the intake: « Urgence vitale ? Appelez le 15 » is always on the search form,
 * before any result; a baby under 3 months is asked about fever before the search, and a feverish
 * one is sent to the 15; a patient already booked within 24 h is flagged before the confirmation
 * is read out.
 */
describe('web: safety at the intake', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
  });

  it('shows the 15 before any result, for the secretariat and the regulation', async () => {
    await h.publish(scene.gp.account, scene.gp.id, [60]);
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    const banner = page.locator('#sec-emergency');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^Urgence vitale \? Appelez le 15\. Douleur thoracique, détresse respiratoire, trouble de la conscience, déficit neurologique brutal/);
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#sec-results tbody tr').first().waitFor();
    // Still there, above the results.
    const [b, r] = [await banner.boundingBox(), await page.locator('#sec-results').boundingBox()];
    expect(b!.y + b!.height).toBeLessThanOrEqual(r!.y);
    await web.shot(page, 'intake-emergency-banner');

    const regulator = await h.account('regulator');
    const other = await web.page();
    await signIn(other, regulator.email, 'Disponibilités');
    expect(await other.locator('#reg-emergency').textContent()).toContain('Urgence vitale ? Appelez le 15.');
  });

  it('asks about fever before searching for a baby under 3 months, and sends a feverish one to the 15', async () => {
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByLabel('Âge du patient').fill('2');
    await page.getByLabel('Unité de l’âge').selectOption('months');
    await page.getByRole('button', { name: 'Chercher' }).click();
    // The question, and no search yet.
    await page.getByText('Nourrisson de moins de 3 mois : a-t-il de la fièvre (38 °C ou plus) ?').waitFor();
    expect(await page.locator('#sec-results').textContent()).toBe('');
    await page.getByRole('group', { name: /^Nourrisson/ }).getByRole('radio', { name: 'oui' }).check();
    const warning = page.locator('#sec-infant-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/appelez le 15 \(ou orientez vers les urgences pédiatriques\)/);
    expect(await page.locator('#sec-results').textContent()).toBe('');
    await web.shot(page, 'intake-infant-fever');
    // The search stays possible, for another reason of consulting.
    await page.getByRole('button', { name: 'Chercher quand même (pour un autre motif)' }).click();
    await page.locator('#sec-results p, #sec-results table').first().waitFor();

    // A 2-month-old without fever: searched at once after « non ».
    await page.getByLabel('Âge du patient').fill('1');
    await page.getByLabel('Âge du patient').dispatchEvent('change');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('group', { name: /^Nourrisson/ }).getByRole('radio', { name: 'non' }).check();
    await page.locator('#sec-results-status', { hasText: /créneau/ }).waitFor();
    expect(await page.locator('#sec-infant-warning').isHidden()).toBe(true);
  });

  it('says a patient already has a booking within 24 h before the confirmation is read out', async () => {
    await clearChateaudun(h);
    const [first, second] = await h.publish(scene.gp.account, scene.gp.id, [70, 140]);
    const who = { lastName: 'Fontaine', firstName: 'Marc', birthDate: '1972-03-08', phone: '06 44 55 66 77' };
    await h.as(scene.secretary).post('/bookings').send({ slotId: first.id, patient: patient(who) }).expect(201);
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator(`#sec-results tbody tr[data-slot="${second.id}"]`).getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, who);
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    const duplicate = page.locator('#sec-duplicate');
    await duplicate.waitFor();
    expect(await duplicate.textContent()).toContain('Attention : ce patient a déjà un rendez-vous SNP dans les 24 heures.');
    expect(await duplicate.textContent()).toContain(`Dr Karim ${scene.gp.lastName}`);
    // Said before the read-out.
    const [d, r] = [await duplicate.boundingBox(), await page.locator('#sec-read-out').boundingBox()];
    expect(d!.y).toBeLessThan(r!.y);
    await web.shot(page, 'intake-duplicate-warning');
  });
});
