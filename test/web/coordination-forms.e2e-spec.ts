import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { withRppsCheckDigit } from '../../src/directory/rpps';
import { BrowserScene, browserStories, signIn, submitSignIn } from '../support/browser';
import { Account, eventually, Harness, patient, randomRpps, unique } from '../support/harness';
import { chateaudunScene, clearChateaudun, Scene } from './territory';

/**
 * « Coordination », without curl: the coordinator registers a practice, a practitioner and a
 * secretariat's account through the page's forms, changes an account, deactivates and reactivates
 * it; reads the messages that could not be delivered, commune names and ages in years.
 */
describe('web: the coordination manages its members from the page', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let coordinator: Account;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    coordinator = await h.account('coordinator', { communityId: scene.communityId });
  });

  /** A list's row holding `text`, as its cells' texts. */
  const row = (page: Page, table: string, text: string) =>
    page.locator(`#${table} tbody tr`, { hasText: text }).first().evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim()));
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id);
  /** A change done: its status line says `text`, and takes the focus once the lists are redrawn. */
  async function done(page: Page, status: string, text: string) {
    await page.locator(`#${status}`, { hasText: text }).waitFor();
    await page.waitForFunction((id) => document.activeElement?.id === id, status);
  }

  it('shows commune names, ages in years (months under two) and the messages that could not be delivered', async () => {
    // A paediatric GP seeing children from 18 months, beside the scene's GP from 6 years (72 months).
    await h.practitioner(scene.practice.id, { firstName: 'Hugo', lastName: unique('Petit'), profession: 'pediatrician', minPatientAgeMonths: 18 });
    // A booking whose message to the practice found nobody to reach.
    const [slot] = await h.publish(scene.gp.account, scene.gp.id, [60]);
    const booking = (await h.as(scene.secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ lastName: 'Leroy' }) }).expect(201)).body;
    // Once the worker has handled it (it would otherwise write its own outcome over ours).
    const ds = h.app.get(DataSource);
    await eventually(async () => (await ds.query(`SELECT status FROM notification WHERE booking_id = $1 AND template = 'booking_confirmed_practice'`, [booking.id]))[0]?.status, (s) => s && s !== 'queued');
    await ds.query(
      `UPDATE notification SET status = 'failed', last_error = 'aucun destinataire : ni compte ni téléphone mobile pour ce cabinet' WHERE booking_id = $1 AND template = 'booking_confirmed_practice'`,
      [booking.id],
    );

    const page = await web.page();
    await signIn(page, coordinator.email, 'Coordination');
    await page.locator('#practices-table tbody tr').first().waitFor();
    // The commune's name, never its INSEE code.
    expect((await row(page, 'practices-table', 'Maison de santé du Dunois'))[2]).toBe('Châteaudun');
    expect((await row(page, 'practices-table', 'Cabinet de Bonneval'))[2]).toBe('Bonneval');
    expect(await page.locator('#practices-table').textContent()).not.toMatch(/28088|28051/);
    // Ages: « 6 ans » rather than « 72 mois »; under two years in months; none: « tout âge ».
    expect((await row(page, 'practitioners-table', 'ROUX'))[5]).toBe('6 ans');
    expect((await row(page, 'practitioners-table', 'PETIT'))[5]).toBe('18 mois');
    expect((await row(page, 'practitioners-table', scene.gp.lastName.toUpperCase()))[5]).toBe('tout âge');
    expect((await row(page, 'practitioners-table', 'PETIT'))[2]).toBe('pédiatre');

    const failed = page.locator('#failed-messages tbody tr', { hasText: 'nouveau rendez-vous, au cabinet' });
    await failed.waitFor();
    expect(await failed.textContent()).toContain('aucun destinataire');
    expect(await page.locator('#failed-title').textContent()).toMatch(/^Messages non remis \(\d+\)$/);
    await page.locator('#coordination-failed').scrollIntoViewIfNeeded();
    await web.shot(page, 'coordination-failed-messages');
    // « Renvoyer »: queued again with its attempts afresh, and handled by the worker (the practice has no one to reach: it fails again).
    await failed.getByRole('button', { name: /^Renvoyer le message/ }).click();
    const said = page.locator('#coordination-failed [role="status"]');
    await said.filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
    expect(await said.textContent()).toContain('Message renvoyé');
    const [row0] = await ds.query(`SELECT status, attempts FROM notification WHERE booking_id = $1 AND template = 'booking_confirmed_practice'`, [booking.id]);
    expect(['queued', 'failed', 'sent', 'outbox']).toContain(row0.status);
    await eventually(async () => (await ds.query(`SELECT attempts FROM notification WHERE booking_id = $1 AND template = 'booking_confirmed_practice'`, [booking.id]))[0].attempts, (n) => n >= 1, 20_000);
  });

  it('registers a practice, a practitioner and a secretariat’s account, says what to fix next to each field, and deactivates and reactivates the account', async () => {
    const page = await web.page();
    await signIn(page, coordinator.email, 'Coordination');
    await page.locator('#practices-table tbody tr').first().waitFor();

    // ---- a practice: the API's refusal of the phone lands next to the phone field.
    const practiceName = unique('Cabinet des Halles');
    await page.getByText('Inscrire un cabinet', { exact: true }).click();
    await page.getByLabel('Nom du cabinet').fill(practiceName);
    await page.getByLabel(/^Adresse du cabinet/).fill('5 place des Halles, 28000 Chartres');
    await page.getByLabel('Commune du cabinet').fill('Chartres');
    await page.getByLabel('Téléphone du cabinet').fill('12');
    await page.getByRole('button', { name: 'Inscrire le cabinet' }).click();
    await page.locator('#practice-phone-error').waitFor();
    expect(await page.locator('#practice-phone-error').textContent()).toMatch(/^Doit être un numéro de téléphone valide/);
    expect(await page.getByLabel('Téléphone du cabinet').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#practice-error').textContent()).toBe('Vérifiez les champs signalés.');
    expect(await focused(page)).toBe('practice-phone');
    await web.shot(page, 'coordination-forms-practice-error');

    await page.getByLabel('Téléphone du cabinet').fill('02 37 21 00 00');
    await page.getByRole('button', { name: 'Inscrire le cabinet' }).click();
    await done(page, 'practices-status', `Cabinet « ${practiceName} » inscrit`);
    expect(await row(page, 'practices-table', practiceName)).toEqual([practiceName, '5 place des Halles, 28000 Chartres', 'Chartres', '02 37 21 00 00', 'Modifier']);
    expect(await page.getByLabel('Téléphone du cabinet').getAttribute('aria-invalid')).toBeNull();
    const { practices } = (await h.as(coordinator).get(`/practices?communityId=${scene.communityId}`).expect(200)).body;
    const practice = practices.find((p: any) => p.name === practiceName);
    expect(practice).toMatchObject({ communeCode: '28085', phone: '+33237210000' });

    // ---- a practitioner: a wrong RPPS key is the API's to find, and an RPPS already registered too.
    const lastName = unique('Marchand');
    const rpps = randomRpps();
    const wrongKey = rpps.slice(0, 10) + String((Number(rpps[10]) + 1) % 10);
    expect(withRppsCheckDigit(wrongKey.slice(0, 10))).not.toBe(wrongKey);
    await page.getByText('Inscrire un praticien', { exact: true }).click();
    await page.getByLabel('Numéro RPPS (11 chiffres)').fill(wrongKey);
    await page.getByLabel('Nom du praticien', { exact: true }).fill(lastName);
    await page.getByLabel('Prénom du praticien').fill('Élise');
    await page.getByLabel('Profession').selectOption({ label: 'médecin généraliste' });
    await page.getByLabel('Cabinet du praticien').selectOption({ label: practiceName });
    await page.getByLabel('Âge minimum des patients (facultatif)').fill('15');
    await page.getByLabel('en téléconsultation').check();
    await page.getByRole('button', { name: 'Inscrire le praticien' }).click();
    await page.locator('#practitioner-rpps-error').waitFor();
    expect(await page.locator('#practitioner-rpps-error').textContent()).toBe('Doit comporter 11 chiffres dont une clé de contrôle (Luhn) valide');
    expect(await focused(page)).toBe('practitioner-rpps');

    await page.getByLabel('Numéro RPPS (11 chiffres)').fill(rpps);
    await page.getByRole('button', { name: 'Inscrire le praticien' }).click();
    await done(page, 'practitioners-status', `Fiche de Dr Élise ${lastName} créée`);
    expect(await row(page, 'practitioners-table', lastName.toUpperCase())).toEqual([`${lastName.toUpperCase()} Élise`, rpps, 'médecin généraliste', practiceName, 'au cabinet, téléconsultation', '15 ans', 'Modifier']);
    const { practitioners } = (await h.as(coordinator).get(`/practitioners?practiceId=${practice.id}`).expect(200)).body;
    expect(practitioners[0]).toMatchObject({ rpps, minPatientAgeMonths: 180, modalities: ['in_person', 'teleconsultation'] });

    // The same RPPS again: the conflict is said next to the RPPS.
    await page.getByLabel('Numéro RPPS (11 chiffres)').fill(rpps);
    await page.getByLabel('Nom du praticien', { exact: true }).fill(lastName);
    await page.getByLabel('Prénom du praticien').fill('Élise');
    await page.getByLabel('Cabinet du praticien').selectOption({ label: practiceName });
    await page.getByRole('button', { name: 'Inscrire le praticien' }).click();
    await page.locator('#practitioner-rpps-error', { hasText: 'déjà inscrit' }).waitFor();
    await page.getByLabel('Numéro RPPS (11 chiffres)').fill('');

    // ---- a secretariat's account: what is missing is said before anything is sent; an e-mail taken, by the API.
    const email = `${unique('accueil')}@halles.test`;
    await page.getByText('Créer un compte', { exact: true }).click();
    await page.getByLabel('Adresse e-mail du compte').fill(scene.secretary.email);
    await page.getByLabel(/^Mot de passe provisoire/).fill('court');
    await page.getByLabel('Rôle').selectOption({ label: 'secrétariat' });
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    expect(await page.locator('#user-password-error').textContent()).toBe('Le mot de passe provisoire fait au moins 10 caractères.');
    expect(await page.locator('#user-practice-error').textContent()).toBe('Choisissez le cabinet de ce secrétariat.');
    expect(await focused(page)).toBe('user-password');
    await page.getByLabel(/^Mot de passe provisoire/).fill('bienvenue-aux-halles');
    await page.getByLabel('Cabinet du secrétariat').selectOption({ label: practiceName });
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.locator('#user-email-error', { hasText: 'Un compte existe déjà avec cet e-mail' }).waitFor();
    expect(await focused(page)).toBe('user-email');
    await web.shot(page, 'coordination-forms-account-error');

    await page.getByLabel('Adresse e-mail du compte').fill(email);
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await done(page, 'users-status', `Compte ${email} créé (secrétariat)`);
    expect(await row(page, 'users-table', email)).toEqual([email, 'secrétariat', practiceName, 'actif', 'ModifierDésactiver']);
    const other = await web.page();
    await signIn(other, email, 'Trouver un créneau', 'bienvenue-aux-halles');
    await web.shot(page, 'coordination-forms-created');

    // ---- deactivated: its open session ends, and it cannot sign in again.
    await page.getByRole('button', { name: `Désactiver le compte ${email}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Désactiver le compte' }).click();
    await done(page, 'users-status', `Compte ${email} désactivé`);
    expect((await row(page, 'users-table', email))[3]).toBe('désactivé');
    const refused = await web.page();
    await submitSignIn(refused, email, 'bienvenue-aux-halles');
    await refused.locator('#sign-in-error', { hasText: 'Ce compte est désactivé : adressez-vous à la coordination de la CPTS.' }).waitFor();
    // The session it had open is over: its page, reloaded, is sent back to the sign-in form.
    await other.reload();
    await other.locator('#notice', { hasText: 'Votre session a expiré' }).waitFor();
    await web.shot(page, 'coordination-forms-deactivated');

    // ---- reactivated: it signs in again.
    await page.getByRole('button', { name: `Réactiver le compte ${email}` }).click();
    await done(page, 'users-status', `Compte ${email} réactivé`);
    expect((await row(page, 'users-table', email))[3]).toBe('actif');
    await submitSignIn(refused, email, 'bienvenue-aux-halles');
    await refused.getByRole('heading', { level: 1, name: 'Trouver un créneau' }).waitFor();

    // ---- changed: the secretariat's account becomes the new GP's (« Modifier »: role and link).
    await page.getByRole('button', { name: `Modifier le compte ${email}` }).click();
    expect(await focused(page)).toBe('user-role');
    expect(await page.getByLabel('Adresse e-mail du compte').inputValue()).toBe(email);
    expect(await page.locator('#user-password-field').isHidden()).toBe(true);
    await page.getByLabel('Rôle').selectOption({ label: 'médecin' });
    await page.getByLabel('Praticien (sa fiche)').selectOption({ label: `Dr Élise ${lastName} (${practiceName})` });
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await done(page, 'users-status', `Compte ${email} modifié : médecin`);
    expect(await row(page, 'users-table', email)).toEqual([email, 'médecin', `Dr Élise ${lastName}`, 'actif', 'ModifierDésactiver']);
    expect(await page.getByRole('button', { name: 'Créer le compte' }).isVisible()).toBe(true);
    const { users } = (await h.as(coordinator).get('/users').expect(200)).body;
    expect(users.find((u: any) => u.email === email)).toMatchObject({ role: 'gp', practitionerId: practitioners[0].id, practiceId: practice.id, active: true });
    await web.shot(page, 'coordination-forms-accounts');
  }, 120_000);

  it('changes a practice and a practitioner from their rows', async () => {
    const page = await web.page();
    await signIn(page, coordinator.email, 'Coordination');
    await page.locator('#practices-table tbody tr').first().waitFor();
    await page.getByRole('button', { name: /^Modifier le cabinet Cabinet de Bonneval/ }).click();
    await page.getByLabel('Nom du cabinet').fill('Cabinet médical de Bonneval');
    await page.getByLabel('Téléphone du cabinet').fill('02 37 47 00 00');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).first().click();
    await done(page, 'practices-status', 'Cabinet « Cabinet médical de Bonneval » modifié.');
    expect((await row(page, 'practices-table', 'Cabinet médical de Bonneval'))[3]).toBe('02 37 47 00 00');
    const [practice] = (await h.as(coordinator).get(`/practices?id=${scene.bonneval.id}`).expect(200)).body.practices;
    expect(practice).toMatchObject({ name: 'Cabinet médical de Bonneval', phone: '+33237470000', communeCode: '28051' });

    await page.getByRole('button', { name: /^Modifier la fiche de Dr Anne ROUX|^Modifier la fiche de Dr Anne Roux/ }).click();
    await page.getByLabel('Âge minimum des patients (facultatif)').fill('3');
    await page.getByLabel('en visite à domicile').check();
    await page.locator('#practitioner-submit').click();
    await done(page, 'practitioners-status', 'modifiée');
    expect((await row(page, 'practitioners-table', 'ROUX'))[5]).toBe('3 ans');
    const [roux] = (await h.as(coordinator).get(`/practitioners?id=${scene.olderOnly.id}`).expect(200)).body.practitioners;
    expect(roux).toMatchObject({ minPatientAgeMonths: 36, modalities: expect.arrayContaining(['in_person', 'home_visit']) });
    await web.shot(page, 'coordination-forms-edited');
  });
});
