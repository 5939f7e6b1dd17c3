import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Harness, patient } from '../support/harness';
import { chateaudunScene, clearChateaudun, Scene } from './territory';

const ZONE = 'Europe/Paris';

/** « Mes créneaux SNP »: a GP publishes, sees who is booked, withdraws, records outcomes, keeps a template. */
describe('web: a GP manages their SNP slots', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
  });

  const tomorrow = () => DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });

  it('publishes four morning slots for tomorrow in a few clicks and sees them; withdraws one', async () => {
    const page = await web.page();
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    await page.getByLabel('Jour', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('À partir de').fill('08:30');
    await page.getByLabel('Nombre de créneaux').fill('4');
    await page.getByLabel('Durée', { exact: true }).selectOption('15');
    expect(await page.locator('#gp-preview').textContent()).toBe(`4 créneaux de 15 min le ${tomorrow().setLocale('fr').toFormat('cccc d LLLL')} : 08h30, 08h45, 09h00, 09h15.`);
    await page.getByRole('button', { name: 'Publier' }).click();

    await page.locator('#gp-slots-status', { hasText: '4 créneaux publiés : 08h30, 08h45, 09h00, 09h15.' }).waitFor();
    const label = tomorrow().setLocale('fr').toFormat('cccc d LLLL');
    const table = page.locator('#gp-slots table', { has: page.locator('caption', { hasText: label }) });
    await table.locator('caption', { hasText: '4 créneaux' }).waitFor();
    expect(await table.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^08h30–08h45au cabinetlibre/),
      expect.stringMatching(/^08h45–09h00au cabinetlibre/),
      expect.stringMatching(/^09h00–09h15au cabinetlibre/),
      expect.stringMatching(/^09h15–09h30au cabinetlibre/),
    ]);
    await web.shot(page, 'gp-published');

    // What the API holds: four slots from 08:30 Paris time tomorrow (whatever the offset that day).
    const { body } = await h.as(scene.gp.account).get(`/slots?practitionerId=${scene.gp.id}&status=free`).expect(200);
    const starts = body.slots.map((s: any) => DateTime.fromISO(s.start, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'));
    const day = tomorrow().toFormat('yyyy-MM-dd');
    expect(starts).toEqual([`${day} 08:30`, `${day} 08:45`, `${day} 09:00`, `${day} 09:15`]);

    // Publishing the same again overlaps: said in the GP's terms.
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.locator('#gp-publish-error', { hasText: 'chevauche' }).waitFor();

    await page.getByRole('button', { name: 'Retirer le créneau de 09h15' }).click();
    await table.locator('caption', { hasText: '3 créneaux' }).waitFor();
    const after = await h.as(scene.gp.account).get(`/slots?practitionerId=${scene.gp.id}&status=free`).expect(200);
    expect(after.body.slots).toHaveLength(3);
  });

  it('shows who is booked on a slot, and records attended / no-show once it has started', async () => {
    await clearChateaudun(h);
    const [a, b] = await h.publish(scene.gp.account, scene.gp.id, [30, 45]);
    const secretary = scene.secretary;
    const first = (await h.as(secretary).post('/bookings').send({ slotId: a.id, patient: patient({ lastName: 'Bernard', firstName: 'Lucie' }), reason: 'otite' }).expect(201)).body;
    const second = (await h.as(secretary).post('/bookings').send({ slotId: b.id, patient: patient({ lastName: 'Girard', firstName: 'Hugo' }) }).expect(201)).body;
    // Both consultations have started by now (moved back in time: a booking cannot be made in the past).
    await h.app.get(DataSource).query(
      `UPDATE slot SET starts_at = starts_at - interval '60 minutes', ends_at = ends_at - interval '60 minutes' WHERE id = ANY($1::uuid[])`,
      [[a.id, b.id]],
    );

    const page = await web.page();
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    const lucie = page.locator('#gp-slots tbody tr', { hasText: 'BERNARD Lucie' });
    await lucie.waitFor();
    expect(await lucie.textContent()).toContain('Motif : otite');
    expect(await lucie.textContent()).toContain('06 12 34 56 78');
    await web.shot(page, 'gp-booked');

    await lucie.getByRole('button', { name: /est venu/ }).click();
    await page.locator('#gp-slots tbody tr', { hasText: 'BERNARD Lucie' }).filter({ hasText: 'venu' }).waitFor();
    await page.locator('#gp-slots tbody tr', { hasText: 'GIRARD Hugo' }).getByRole('button', { name: /n’est pas venu/ }).click();
    await page.locator('#gp-slots tbody tr', { hasText: 'GIRARD Hugo' }).filter({ hasText: 'non venu' }).waitFor();

    expect((await h.as(scene.gp.account).get(`/bookings/${first.id}`).expect(200)).body.status).toBe('attended');
    expect((await h.as(scene.gp.account).get(`/bookings/${second.id}`).expect(200)).body.status).toBe('no_show');
  });

  it('keeps a weekly template: its slots appear at once, and it can be stopped', async () => {
    const page = await web.page();
    await signIn(page, scene.olderOnly.account.email, 'Mes créneaux SNP');
    await page.locator('#gp-templates .empty').waitFor();
    for (const d of ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.']) await page.getByLabel(d, { exact: true }).check();
    await page.getByLabel('De', { exact: true }).fill('18:00');
    await page.getByLabel('À', { exact: true }).fill('19:00');
    await page.getByLabel('Durée d’un créneau').selectOption('20');
    await page.getByRole('button', { name: 'Enregistrer le modèle' }).click();
    await page.locator('#gp-slots-status', { hasText: 'Modèle enregistré' }).waitFor();
    const listed = page.locator('#gp-templates li');
    await listed.waitFor();
    expect(await listed.textContent()).toContain('lun. mar. mer. jeu. ven. sam. dim. de 18h00 à 19h00, créneaux de 20 min');
    await web.shot(page, 'gp-template');

    const { body } = await h.as(scene.olderOnly.account).get(`/slots?practitionerId=${scene.olderOnly.id}&status=free`).expect(200);
    // Three slots an evening for the coming days (today's too if 18:00 is still ahead).
    expect(body.slots.length).toBeGreaterThanOrEqual(18);
    expect(new Set(body.slots.map((s: any) => DateTime.fromISO(s.start, { zone: ZONE }).toFormat('HH:mm')))).toEqual(new Set(['18:00', '18:20', '18:40']));

    await listed.getByRole('button', { name: /^Arrêter le modèle lun\. mar\./ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Arrêter le modèle' }).click();
    await page.locator('#gp-templates .empty').waitFor();
    const after = await h.as(scene.olderOnly.account).get(`/slots?practitionerId=${scene.olderOnly.id}&status=free`).expect(200);
    expect(after.body.slots).toHaveLength(0);
  });

  it.each([
    // Years ahead, so that the server always refuses them (more than 3 months away): nothing is created.
    ['spring', '2030-03-30T20:00:00+01:00', 'Demain, dim. 31 mars', 'dimanche 31 mars', '2030-03-31', '+02:00'],
    ['autumn', '2030-10-26T20:00:00+02:00', 'Demain, dim. 27 oct.', 'dimanche 27 octobre', '2030-10-27', '+01:00'],
  ])('computes Paris times on the %s DST Sunday', async (_season, evening, option, dayName, day, offset) => {
    const page = await web.page({ clock: true });
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    // The page's first lists drawn: its 30-second refresh is set from then on (on a loaded machine
    // the clock could otherwise jump before that timer exists, and nothing would relabel the days).
    await page.locator('#gp-slots > *').first().waitFor({ state: 'attached' });
    await page.locator('#gp-templates > *').first().waitFor({ state: 'attached' });
    // The browser's clock moves to the Saturday evening; the next refresh relabels the days.
    await page.clock.setSystemTime(new Date(evening));
    await page.clock.fastForward(31_000);
    await page.getByLabel('Jour', { exact: true }).locator('option', { hasText: option }).waitFor({ state: 'attached' });
    await page.getByLabel('Jour', { exact: true }).selectOption({ label: option });
    await page.getByLabel('À partir de').fill('08:30');
    await page.getByLabel('Nombre de créneaux').fill('4');
    await page.getByLabel('Durée', { exact: true }).selectOption('15');
    expect(await page.locator('#gp-preview').textContent()).toBe(`4 créneaux de 15 min le ${dayName} : 08h30, 08h45, 09h00, 09h15.`);

    // What the page sends: Paris wall-clock times with that Sunday's offset.
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/slots') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Publier' }).click();
    expect(JSON.parse((await sent).postData()!).slots.map((x: any) => x.start)).toEqual(
      ['08:30', '08:45', '09:00', '09:15'].map((t) => `${day}T${t}:00.000${offset}`),
    );
    // The server's clock is not the browser's: that Sunday is more than 3 months ahead, said in French.
    await page.locator('#gp-publish-error', { hasText: 'plus de 3 mois' }).waitFor();
  });

  it('keeps slots for the regulation only, and says so on the list', async () => {
    await clearChateaudun(h);
    const page = await web.page();
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    await page.getByLabel('Jour', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('À partir de').fill('19:00');
    await page.getByLabel('Nombre de créneaux').fill('2');
    const publish = page.locator('#gp-publish');
    // Neither box: said before anything is sent.
    await publish.getByLabel('les cabinets de la CPTS').uncheck();
    await publish.getByLabel('la régulation (15 / SAS)').uncheck();
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.locator('#gp-publish-error', { hasText: 'Cochez à qui ces créneaux sont proposés' }).waitFor();
    await publish.getByLabel('la régulation (15 / SAS)').check();
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.locator('#gp-slots-status', { hasText: '2 créneaux publiés : 19h00, 19h15.' }).waitFor();
    await page.locator('#gp-slots tbody tr', { hasText: '19h00–19h15' }).filter({ hasText: 'régulation (15 / SAS) seulement' }).waitFor();

    const { body } = await h.as(scene.gp.account).get(`/slots?practitionerId=${scene.gp.id}&status=free`).expect(200);
    expect(body.slots.map((s: any) => s.audiences)).toEqual([['regulation'], ['regulation']]);
    // The CPTS's secretariat does not see them; the regulation does.
    const near = `/slots/search?communeCode=28088&from=${encodeURIComponent(body.slots[0].start)}`;
    expect((await h.as(scene.secretary).get(near).expect(200)).body.results.map((r: any) => r.slot.id)).not.toContain(body.slots[0].id);
    expect((await h.as(await h.account('regulator')).get(near).expect(200)).body.results.map((r: any) => r.slot.id)).toContain(body.slots[0].id);
  });

  it('adds their SNP patients to their own agenda software through a secret calendar link', async () => {
    await clearChateaudun(h);
    const [slot] = await h.publish(scene.gp.account, scene.gp.id, [50]);
    const booked = (await h.as(scene.secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ lastName: 'Lemaire', firstName: 'Rose', birthDate: '1950-02-01' }) }).expect(201)).body;
    const page = await web.page();
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    await page.getByRole('button', { name: 'Ajouter à mon agenda' }).click();
    const field = page.getByLabel('Adresse de votre agenda SNP (à copier)');
    await field.waitFor();
    const url = await field.inputValue();
    expect(url).toMatch(/\/api\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    await page.getByText('Comment l’ajouter à votre agenda').click();
    await page.getByText('À partir de l’URL').waitFor();
    await web.shot(page, 'gp-calendar-link');
    // What the agenda software reads at that address, without any sign-in.
    const ics = (await (await fetch(url)).text()).replace(/\r\n[ \t]/g, '');
    expect(ics).toContain(`UID:${booked.id}@`);
    expect(ics).toContain('SUMMARY:SNP – R. L. (1950)');
    expect(ics).not.toContain('Lemaire');
  });

  it('says in French what is wrong with a slot in the past', async () => {
    const page = await web.page();
    await signIn(page, scene.gp.account.email, 'Mes créneaux SNP');
    await page.getByLabel('Jour', { exact: true }).selectOption({ index: 0 });
    // Ten minutes ago today (or midnight, just after midnight).
    const earlier = DateTime.now().setZone(ZONE).minus({ minutes: 10 });
    await page.getByLabel('À partir de').fill(earlier.hasSame(DateTime.now().setZone(ZONE), 'day') ? earlier.toFormat('HH:mm') : '00:00');
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.locator('#gp-publish-error', { hasText: 'est déjà passé' }).waitFor();
  });
});
