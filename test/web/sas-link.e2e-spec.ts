import { BrowserScene, browserStories, signIn, submitSignIn } from '../support/browser';
import { FhirSink } from '../support/fhir-sink';
import { eventually, Harness } from '../support/harness';
import { IDNPS, publishAt, regulatorWithRpps, sas, sasScene } from '../fhir/scene';
import { parisTime, typePatient } from './territory';

/**
 * From the SAS to a booking: the SAS platform shows a regulator one of our GP's slots; its
 * `comment` opens that GP's agenda in our web page with `origin=sas`. A regulator not signed in
 * signs in first and comes back to the same agenda, holds, books; the booking records `origin:
 * sas` and the appointment feed reports it to the SAS (a real local FHIR server).
 */
describe('web: a regulator follows the SAS’s link to a GP’s agenda and books', () => {
  let sink: FhirSink;
  let h: Harness;
  let web: BrowserScene;

  beforeAll(async () => {
    sink = await FhirSink.start();
  });
  browserStories(
    (s) => ({ h, web } = s),
    () => ({ SAS_FHIR_URL: sink.url, SAS_APPOINTMENT_ID_SYSTEM: 'https://snp.cpts-dunois.test/fhir/sid/rdv', SAS_FEED_BACKOFF_MS: 10 }),
  );
  afterAll(() => sink?.close());

  it('signs the regulator in, lands on the GP’s free slots, books from the SAS, and the SAS hears of it', async () => {
    const scene = await sasScene(h);
    const [gp] = scene.gps;
    const regulator = await regulatorWithRpps(h);
    const slots = await publishAt(h, gp.id, [70, 100]);

    // What the SAS sees: the slot, and in its comment the link to this GP's agenda here.
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const bundle = (
      await sas(h, scene.key)
        .get(`/fhir/Slot?schedule.actor:Practitioner.identifier=${IDNPS}|8${gp.rpps}&status=free&start=ge${encodeURIComponent(from)}&start=le${encodeURIComponent(to)}`)
        .expect(200)
    ).body;
    expect(bundle.total).toBe(2);
    const link: string = bundle.entry[0].resource.comment;
    expect(link).toBe(`${web.url}/agenda/${gp.id}`);

    // Not signed in: the sign-in form first, saying where it leads; then straight back to that agenda.
    const page = await web.page();
    await page.goto(`${link}?origin=sas`);
    await page.locator('#notice', { hasText: 'Connectez-vous pour ouvrir l’agenda du médecin' }).waitFor();
    await submitSignIn(page, regulator.email);
    await page.getByRole('heading', { level: 1, name: 'Disponibilités' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/agenda/${gp.id}`);
    expect(new URL(page.url()).searchParams.get('origin')).toBe('sas');
    const rows = page.locator('#reg-results tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(parisTime(slots[0].start));
    expect(await page.locator('#reg-results caption').textContent()).toMatch(/^Agenda du Dr .+ : 2 créneaux libres/);
    await web.shot(page, 'sas-agenda');

    await rows.first().getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: 'Vasseur', firstName: 'Lina', birthDate: '1991-05-17', phone: '06 31 42 53 64' });
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    await web.shot(page, 'sas-booked');

    const { bookings } = (await h.as(regulator).get('/bookings').expect(200)).body;
    const booking = bookings.find((b: any) => b.slot.id === slots[0].id);
    expect(booking).toMatchObject({ origin: 'sas', channel: 'regulation', patient: { lastName: 'Vasseur' } });
    // Reported to the SAS: booked, by this regulator, with this GP, and nothing of the patient.
    const reported = await eventually(async () => sink.stored(booking.id), (a) => a?.status === 'booked');
    expect(reported.participant[0].actor.identifier.value).toBe(`8${gp.rpps}`);
    expect(reported.extension[0].valueReference.identifier.value).toBe(`8${regulator.rpps}`);
    expect(JSON.stringify(reported)).not.toMatch(/Vasseur|Lina|1991-05-17|642/);

    // Signed in already, the link opens the agenda at once: one slot left.
    await page.goto(`${link}?origin=sas`);
    await page.locator('#reg-results caption', { hasText: '1 créneau libre' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(parisTime(slots[1].start));
  });

  it('books as usual, without origin, when the regulator searches by place rather than from the link', async () => {
    const scene = await sasScene(h);
    const [gp] = scene.gps;
    const regulator = await regulatorWithRpps(h);
    const [slot] = await publishAt(h, gp.id, [130]);
    const page = await web.page();
    await page.goto(`${web.url}/agenda/${gp.id}?origin=sas`);
    await signIn(page, regulator.email, 'Disponibilités');
    await page.locator('#reg-results tbody tr').first().waitFor();
    // The caller is someone else's: a search by place leaves the SAS's agenda (and its origin).
    await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    const row = page.locator(`#reg-results tbody tr[data-slot="${slot.id}"]`);
    await row.getByRole('button', { name: /^Retenir/ }).click();
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    await typePatient(page, { lastName: 'Morel', firstName: 'Yves', birthDate: '1960-01-20', phone: '06 21 32 43 54' });
    await page.getByRole('button', { name: 'Réserver le créneau retenu' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    const { bookings } = (await h.as(regulator).get('/bookings').expect(200)).body;
    expect(bookings.find((b: any) => b.slot.id === slot.id).origin).toBeUndefined();
  });

  it('says so when the link names no agenda', async () => {
    const page = await web.page();
    await page.goto(`${web.url}/agenda/pas-un-identifiant?origin=sas`);
    await page.locator('#notice', { hasText: 'Ce lien ne désigne pas un agenda' }).waitFor();
  });
});
