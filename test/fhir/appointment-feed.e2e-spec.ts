import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { OPERATOR_UNKNOWN, SasFeedService } from '../../src/sas/sas-feed.service';
import { SAS_FEED_QUEUE } from '../../src/sas/sas-feed.queue';
import { fhirProblems } from '../support/fhir-validation';
import { FhirSink } from '../support/fhir-sink';
import { Account, eventually, Harness, patient } from '../support/harness';
import { testConfig } from '../support/test-config';
import { IDNPS, publishAt, regulatorWithRpps, sasScene } from './scene';

const PUBLIC_URL = 'https://snp.cpts-dunois.test';
const PREFIX = 'snp-test:sas-feed';
/** The patient of every booking here: none of it may reach the SAS. */
const PATIENT = patient({ firstName: 'Anaïs', lastName: 'Quintard', birthDate: '1984-02-29', phone: '06 98 76 54 32', email: 'anais.quintard@example.fr' });
const PATIENT_TRACES = ['Anaïs', 'Quintard', 'QUINTARD', '1984-02-29', '0698765432', '698765432', 'anais.quintard', 'otite', 'Patient'];

/**
 * Every booking a regulator makes from the SAS is reported to the SAS platform (INT_R03): created,
 * then each change (honoured, not honoured, cancelled), in order, at least once, through a SAS that
 * refuses its first attempts and through a Redis that forgets its jobs; never a word of the patient.
 */
describe('FHIR façade: the appointment feed to the SAS (INT_R03)', () => {
  let sink: FhirSink;
  let h: Harness;
  let scene: Awaited<ReturnType<typeof sasScene>>;
  let regulator: Account & { rpps: string };

  const config = () => ({ SAS_FHIR_URL: sink.url, PUBLIC_URL, SAS_FEED_BACKOFF_MS: 10, SAS_FEED_ATTEMPTS: 6, QUEUE_PREFIX: PREFIX });

  beforeAll(async () => {
    sink = await FhirSink.start();
    h = await Harness.start(config());
    scene = await sasScene(h);
    regulator = await regulatorWithRpps(h);
  });
  afterAll(async () => {
    await h.close();
    await sink.close();
  });

  const book = async (slotId: string, who: Account = regulator) => {
    const held = await h.as(who).post(`/slots/${slotId}/hold`).expect(201);
    return (await h.as(who).post('/bookings').send({ slotId, holdToken: held.body.holdToken, patient: PATIENT, reason: 'otite', origin: 'sas' }).expect(201)).body;
  };
  const feed = async (bookingId: string) => (await h.as(h.admin).get(`/sas-appointments?bookingId=${bookingId}`).expect(200)).body.appointments;

  /** What reached the SAS about a booking is a valid FrAppointmentSAS, with nobody but the regulator and the GP in it. */
  function expectReported(bookingId: string, status: string) {
    const body = sink.stored(bookingId);
    expect(body).toMatchObject({
      resourceType: 'Appointment',
      meta: { profile: ['http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS'] },
      extension: [{ url: 'http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator', valueReference: { identifier: { type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'IDNPS' }] }, system: IDNPS, value: `8${regulator.rpps}` } } }],
      identifier: [{ system: `${PUBLIC_URL}/fhir/sid/rdv`, value: bookingId }],
      status,
      start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0[12]:00$/),
      participant: [{ actor: { identifier: { system: IDNPS, value: `8${scene.gps[0].rpps}` } }, status: 'accepted' }],
    });
    expect(body.participant).toHaveLength(1);
    expect(fhirProblems(body)).toEqual([]);
  }

  afterEach(() => {
    for (const r of sink.requests) for (const trace of PATIENT_TRACES) expect([trace, r.raw.includes(trace)]).toEqual([trace, false]);
  });

  it('creates the appointment through refusals, then reports it honoured', async () => {
    const [slot] = await publishAt(h, scene.gps[0].id, [50]);
    sink.failNext(2);
    const booking = await book(slot.id);
    expect(booking).toMatchObject({ origin: 'sas', channel: 'regulation' });
    await eventually(async () => sink.stored(booking.id)?.status, (s) => s === 'booked', 15_000);
    // First a POST; once refused, conditional PUTs (the SAS creates on an unknown identifier): at least once, never twice.
    expect(sink.about(booking.id).map((r) => [r.method, r.status])).toEqual([['POST', 503], ['PUT', 503], ['PUT', 201]]);
    expect(sink.about(booking.id)[2].url).toBe(`/fhir/Appointment?identifier=${encodeURIComponent(`${PUBLIC_URL}/fhir/sid/rdv|${booking.id}`)}`);
    expect(sink.about(booking.id).every((r) => r.contentType === 'application/fhir+json')).toBe(true);
    expectReported(booking.id, 'booked');

    // The consultation took place: the GP says so, the SAS hears it.
    await h.app.get(DataSource).query(`UPDATE slot SET starts_at = date_trunc('minute', now()) - interval '30 minutes', ends_at = date_trunc('minute', now()) - interval '10 minutes' WHERE id = $1`, [slot.id]);
    const gp = await h.account('gp', { practitionerId: scene.gps[0].id });
    await h.as(gp).post(`/bookings/${booking.id}/outcome`).send({ outcome: 'attended' }).expect(200);
    await eventually(async () => sink.stored(booking.id)?.status, (s) => s === 'fulfilled');
    expect(sink.about(booking.id).at(-1)).toMatchObject({ method: 'PUT', status: 200 });
    expectReported(booking.id, 'fulfilled');
    expect((await feed(booking.id)).map((a: any) => [a.appointmentStatus, a.status])).toEqual([['fulfilled', 'sent'], ['booked', 'sent']]);
  });

  it('reports a cancellation after the creation, never before, however the SAS stumbles', async () => {
    const [slot] = await publishAt(h, scene.gps[0].id, [90]);
    sink.failNext(3);
    const booking = await book(slot.id);
    await h.as(regulator).post(`/bookings/${booking.id}/cancel`).send({ reason: 'le patient va mieux' }).expect(200);
    await eventually(async () => sink.stored(booking.id)?.status, (s) => s === 'cancelled', 15_000);
    const accepted = sink.about(booking.id).filter((r) => r.status < 300).map((r) => r.body.status);
    expect(accepted).toEqual(['booked', 'cancelled']);
    expectReported(booking.id, 'cancelled');
  });

  it('reports nothing of a booking not made from the SAS', async () => {
    const [slot] = await publishAt(h, scene.gps[0].id, [120]);
    const held = await h.as(regulator).post(`/slots/${slot.id}/hold`).expect(201);
    const booking = (await h.as(regulator).post('/bookings').send({ slotId: slot.id, holdToken: held.body.holdToken, patient: PATIENT }).expect(201)).body;
    expect(booking.origin).toBeUndefined();
    expect(await feed(booking.id)).toEqual([]);
    // Only the regulation comes from the SAS.
    const [other] = await publishAt(h, scene.gps[0].id, [140]);
    const secretary = await h.account('secretary', { practiceId: scene.practice.id });
    const refused = await h.as(secretary).post('/bookings').send({ slotId: other.id, patient: PATIENT, origin: 'sas' }).expect(403);
    expect(refused.body.message).toMatch(/régulation/);
  });

  it('marks failed what the SAS refuses for good, shows it to admins and /metrics, and sends it again on an admin’s word', async () => {
    const [slot] = await publishAt(h, scene.gps[0].id, [160]);
    sink.failNext(1000);
    const booking = await book(slot.id);
    sink.refuse(booking.id, 422, 'praticien inconnu du SAS');
    sink.failNext(0);
    const [failed] = await eventually(() => feed(booking.id), (rows) => rows[0]?.status === 'failed', 15_000);
    expect(failed).toMatchObject({ appointmentStatus: 'booked', status: 'failed', httpStatus: 422, error: 'HTTP 422 : praticien inconnu du SAS' });
    const listed = (await h.as(h.admin).get('/sas-appointments?status=failed').expect(200)).body.appointments;
    expect(listed.map((a: any) => a.id)).toContain(failed.id);
    const metrics = await h.as(h.admin).get('/metrics').expect(200);
    expect(Number(/^snp_sas_appointments_failed (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics.text).toMatch(/^snp_sas_appointments\{status="failed"\} [1-9]/m);
    await h.as(h.admin).get('/sas-appointments').expect(200);
    const secretary = await h.account('secretary', { practiceId: scene.practice.id });
    await h.as(secretary).get('/sas-appointments').expect(403);

    // The ANS fixed its side: the admin sends it again, by a PUT (it may have been created meanwhile).
    sink.accept(booking.id);
    await h.as(h.admin).post(`/sas-appointments/${failed.id}/retry`).expect(200);
    await eventually(async () => sink.stored(booking.id)?.status, (s) => s === 'booked');
    expect(sink.about(booking.id).at(-1)).toMatchObject({ method: 'PUT', status: 201 });
    await h.as(h.admin).post(`/sas-appointments/${failed.id}/retry`).expect(409);
  });

  it('marks failed, without calling the SAS, a booking by a regulator the SAS does not know', async () => {
    const stranger = await h.account('regulator');
    const [slot] = await publishAt(h, scene.gps[0].id, [180]);
    const booking = await book(slot.id, stranger);
    const [row] = await eventually(() => feed(booking.id), (rows) => rows[0]?.status === 'failed');
    expect(row.error).toBe(OPERATOR_UNKNOWN);
    expect(sink.about(booking.id)).toEqual([]);
  });

  it('loses nothing when Redis forgets the jobs: the reconciler queues them again', async () => {
    // An API without workers books (its own queue prefix, which no worker of this file serves);
    // Redis then loses everything under that prefix.
    const lost = { ...config(), QUEUE_PREFIX: `${PREFIX}-lost` };
    const api = await Harness.start({ ...lost, WORKERS_ENABLED: false });
    let booking: { id: string };
    try {
      const [slot] = await publishAt(api, scene.gps[0].id, [200]);
      const held = await api.as(regulator.token).post(`/slots/${slot.id}/hold`).expect(201);
      booking = (await api.as(regulator.token).post('/bookings').send({ slotId: slot.id, holdToken: held.body.holdToken, patient: PATIENT, origin: 'sas' }).expect(201)).body;
      const [row] = await feed(booking.id);
      const queue = api.app.get<Queue>(getQueueToken(SAS_FEED_QUEUE));
      await eventually(() => queue.getJob(row.id), (j) => !!j);
      const redis = new Redis(testConfig().REDIS_URL);
      try {
        const keys = await redis.keys(`${lost.QUEUE_PREFIX}:*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
      expect(await queue.getJob(row.id)).toBeUndefined();
      expect(sink.about(booking.id)).toEqual([]);
    } finally {
      await api.close();
    }
    // The next process with workers reconciles: the row is queued again and reported.
    const worker = await Harness.start(lost);
    try {
      // Called rather than waited for; the minute's run may come first, re-adding the same job.
      await worker.app.get(SasFeedService).reconcile();
      await eventually(async () => sink.stored(booking.id)?.status, (s) => s === 'booked');
      expectReported(booking.id, 'booked');
      expect(sink.about(booking.id).map((r) => r.method)).toEqual(['POST']);
    } finally {
      await worker.close();
    }
  });

  it('queues nothing when no SAS is configured', async () => {
    const quiet = await Harness.start({ QUEUE_PREFIX: `${PREFIX}-off` });
    try {
      const [slot] = await publishAt(quiet, scene.gps[0].id, [220]);
      const booking = (await quiet.as(regulator.token).post('/bookings').send({ slotId: slot.id, patient: PATIENT, origin: 'sas' }).expect(201)).body;
      expect(booking.origin).toBe('sas');
      expect(await quiet.app.get(DataSource).query(`SELECT 1 FROM sas_appointment_feed WHERE booking_id = $1`, [booking.id])).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
