import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generate } from 'otplib';
import { Page } from 'playwright-core';
import { createApp } from '../../src/app.factory';
import { freePort } from '../support/api-process';
import { BrowserScene, signIn, submitSignIn } from '../support/browser';
import { API, Harness, patient, TEST_PASSWORD } from '../support/harness';
import { PscProvider } from '../support/psc-provider';
import { testConfig } from '../support/test-config';

/** The code the authenticator app shows `stepsAhead` steps from now, for the secret the page showed. */
const totp = (secret: string, stepsAhead = 0) => generate({ secret: secret.replace(/\s/g, ''), epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

/** Fails the story on a script error or a console error of the page (a refused API call is the stories' own business). */
function watch(page: Page, errors: string[]) {
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(`console: ${m.text()}`));
}

/**
 * Signing in as PGSSI-S asks: a second factor enrolled from the page (QR code drawn by the service),
 * then asked at every sign-in; Pro Santé Connect for health professionals; « Mon compte » to change
 * one's password; « Se déconnecter » ending the session on the server; the coordination's view of a
 * patient's data and its erasure.
 */
describe('web: sign-in, second factor, Pro Santé Connect and patients’ rights', () => {
  let h: Harness;
  let psc: PscProvider;
  let web: BrowserScene;
  let strict: NestFastifyApplication;
  let strictUrl: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    psc = await PscProvider.start(`${publicUrl}${API}/auth/psc/callback`);
    h = await Harness.start({ PUBLIC_URL: publicUrl, PSC_DISCOVERY_URL: psc.discoveryUrl, PSC_CLIENT_ID: 'snp-test', PSC_CLIENT_SECRET: 'psc-test-secret' });
    web = await BrowserScene.start(h, port);
    // The same service where a second factor is required (the production default), on a port of its own.
    strict = await createApp(testConfig({ MFA_REQUIRED: true, WORKERS_ENABLED: false }));
    await strict.listen(0, '127.0.0.1');
    strictUrl = `http://127.0.0.1:${(strict.getHttpServer().address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await web?.closePages();
    expect(errors.splice(0)).toEqual([]);
    expect(web?.errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await web?.close();
    await strict?.close();
    await h?.close();
    await psc?.stop();
  });

  async function pageAt(url: string): Promise<Page> {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    watch(page, errors);
    await page.goto(url);
    return page;
  }

  it('enrols a second factor at the first sign-in, shows the recovery codes once, then asks for a code every time', async () => {
    const secretary = await h.account('secretary', { practiceId: (await h.practice(await h.community())).id });
    const page = await pageAt(strictUrl);
    await submitSignIn(page, secretary.email);
    const qr = page.getByRole('img', { name: 'QR code à scanner avec l’application d’authentification' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    const secret = (await page.locator('code').first().textContent())!;
    expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('Code à 6 chiffres de l’application (ou un code de secours)').fill(await totp(secret));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByRole('heading', { name: 'Vos 10 codes de secours' }).waitFor();
    expect(await page.locator('ol.codes li').count()).toBe(10);
    await web.shot(page, 'second-factor-recovery-codes');
    await page.getByRole('button', { name: 'J’ai noté mes codes : continuer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trouver un créneau' }).waitFor();

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté.').waitFor();
    await submitSignIn(page, secretary.email);
    const code = page.getByLabel('Code à 6 chiffres de l’application (ou un code de secours)');
    await code.waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).isVisible()).toBe(false);
    await code.fill('000000' === (await totp(secret, 1)) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByText('Code incorrect ou déjà utilisé').waitFor();
    await code.fill(await totp(secret, 1));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trouver un créneau' }).waitFor();
    await web.shot(page, 'second-factor-signed-in');
  });

  it('signs a GP in with Pro Santé Connect, and says why it cannot for someone unknown', async () => {
    const { gp, practitionerId } = await h.gpWithAgenda();
    const [{ rpps }] = (await h.as(h.admin).get(`/practitioners?id=${practitionerId}`).expect(200)).body.practitioners;
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}` });
    const page = await pageAt(web.url);
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes créneaux SNP' }).waitFor();
    expect(await page.locator('#who').textContent()).toContain(gp.email);
    expect(new URL(page.url()).search).toBe('');

    await psc.nextPerson({ sub: 'psc-inconnu', SubjectNameID: '810000000009' });
    const other = await pageAt(web.url);
    await other.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await other.getByText('aucun compte de la CPTS ne correspond à votre numéro RPPS').waitFor();
    await web.shot(other, 'psc-unknown-person');
  });

  it('changes the password from « Mon compte »: every session ends, the new password signs in', async () => {
    const gp = (await h.gpWithAgenda()).gp;
    const page = await pageAt(web.url);
    await signIn(page, gp.email, 'Mes créneaux SNP');
    await page.getByRole('button', { name: 'Mon compte' }).click();
    await page.getByLabel('Mot de passe actuel').fill('pas-le-bon');
    await page.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill('nouveau-mot-de-passe-2026');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByText('Mot de passe actuel incorrect.').waitFor();
    await page.getByLabel('Mot de passe actuel').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByText('Mot de passe changé : reconnectez-vous').waitFor();
    await h.as(gp).get('/practices').expect(401);
    await signIn(page, gp.email, 'Mes créneaux SNP', 'nouveau-mot-de-passe-2026');
  });

  it('ends the session on the server when « Se déconnecter » is pressed', async () => {
    const secretary = await h.account('secretary', { practiceId: (await h.practice(await h.community())).id });
    const page = await pageAt(web.url);
    await signIn(page, secretary.email, 'Trouver un créneau');
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('snp.session')!).token);
    await h.as(token).get('/practices').expect(200);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté.').waitFor();
    await h.as(token).get('/practices').expect(401);
  });

  it('lets the coordination find what is held on a patient and erase it after a confirmation', async () => {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const coordinator = await h.account('coordinator', { communityId });
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const [slot] = await h.publish(gp, practitionerId, [90]);
    const booking = (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ firstName: 'Odile', lastName: 'Verrier', phone: '06 12 98 76 54', birthDate: '1939-12-24' }), reason: 'chute' }).expect(201)).body;

    const page = await pageAt(web.url);
    await signIn(page, coordinator.email, 'Coordination');
    await page.getByLabel('Téléphone du patient').fill('06 12 98 76 54');
    await page.getByLabel('Date de naissance').fill('1939-12-24');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('1 rendez-vous et 0 demande(s) pour ce patient dans la CPTS.').waitFor();
    expect(await page.locator('#patients-found').textContent()).toContain('VERRIER Odile');
    await web.shot(page, 'coordination-patient-lookup');

    await page.getByRole('button', { name: 'Effacer l’identité de ce patient' }).click();
    await page.getByRole('button', { name: 'Ne rien effacer' }).click();
    expect((await h.as(secretary).get(`/bookings/${booking.id}`).expect(200)).body.patient.lastName).toBe('Verrier');
    await page.getByRole('button', { name: 'Effacer l’identité de ce patient' }).click();
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    await page.getByText('Identité effacée : 1 rendez-vous, 0 demande(s)').waitFor();
    expect((await h.as(secretary).get(`/bookings/${booking.id}`).expect(200)).body.patient).toMatchObject({ anonymised: true });
  });
});
