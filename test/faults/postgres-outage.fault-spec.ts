import { FaultProxy } from '../support/fault-proxy';
import { Harness, patient } from '../support/harness';
import { testConfig } from '../support/test-config';
import { load, LoadClient, Outcome, sleep } from './load';
import { ServiceProcess } from './processes';
import { bookingIntegrity, loadScene } from './scene';

/**
 * Postgres becomes unreachable for 5 s (every connection cut, new ones refused) while 64 clients
 * book. The API answers 503 with the error shape meanwhile (never 500, never past the client's
 * 5 s time-out), /health says 503; once Postgres is back, the same process serves again within
 * 5 s, without a restart. Then the database: no slot booked twice, every 201 a booking with its
 * notifications, no half-written booking.
 */
describe('Postgres unreachable for 5 s during booking load', () => {
  let h: Harness;
  let proxy: FaultProxy;
  let api: ServiceProcess;
  let client: LoadClient;

  beforeAll(async () => {
    h = await Harness.start({ WORKERS_ENABLED: false });
    proxy = await FaultProxy.start({ port: Number(new URL(testConfig().DATABASE_URL).port || 5432) });
    api = await ServiceProcess.api({ DATABASE_URL: proxy.url(testConfig().DATABASE_URL), DB_POOL_SIZE: '20' });
    client = new LoadClient(api.url, 5000);
  }, 90_000);
  afterAll(async () => {
    await client?.close();
    await api?.stop();
    await proxy?.close();
    await h?.close();
  });

  it('answers 503 during the outage, serves again within 5 s, and loses or doubles nothing', async () => {
    const scene = await loadScene(h, { gps: 12, perGp: 250, secretaries: 8 });
    const free = [...scene.slotIds];
    const bookings: Outcome[] = [];
    const health: Outcome[] = [];
    let running = true;

    const booking = load(64, () => running, async (c) => {
      const slotId = free.pop();
      if (!slotId) return sleep(50);
      const who = scene.secretaries[c % scene.secretaries.length];
      const o = await client.call('POST', '/api/v1/bookings', who.token, { slotId, patient: patient({ lastName: `Patient${c}` }) });
      bookings.push(o);
      // Refused for now: the secretary tries the same slot again a little later.
      if (o.status !== 201 && o.status !== 409) free.unshift(slotId);
      await sleep(o.status === 503 ? 200 : 40);
    });
    const probing = load(1, () => running, async () => {
      health.push(await client.call('GET', '/health'));
      await sleep(200);
    });

    await sleep(3000);
    const downAt = Date.now();
    await proxy.down();
    await sleep(5000);
    await proxy.up();
    const upAt = Date.now();
    await sleep(8000);
    running = false;
    await Promise.all([booking, probing]);

    // Never a 500, never a request left hanging past the client's time-out. (A 200 is a retry of a
    // booking whose 503 came after its commit: the booking already made, answered as such.)
    expect(api.logs(/unhandled error/).map((l) => l.err?.message)).toEqual([]);
    const statuses = new Set(bookings.map((b) => b.status ?? b.error));
    expect([...statuses].filter((s) => ![200, 201, 409, 503].includes(s as number))).toEqual([]);
    expect(bookings.filter((b) => b.doneAt - b.sentAt > 5000)).toEqual([]);

    // Before the outage the load books; during it, 503 with the error shape.
    expect(bookings.filter((b) => b.status === 201 && b.doneAt < downAt).length).toBeGreaterThan(20);
    const during = bookings.filter((b) => b.sentAt > downAt + 300 && b.doneAt < upAt);
    expect(during.length).toBeGreaterThan(20);
    expect(during.every((b) => b.status === 503)).toBe(true);
    expect(during[0].body).toEqual({
      statusCode: 503,
      error: 'service_unavailable',
      message: 'Service momentanément indisponible (base de données injoignable) : réessayez dans quelques secondes',
      retryAfterSeconds: 5,
    });
    expect(health.filter((x) => x.sentAt > downAt + 300 && x.doneAt < upAt).every((x) => x.status === 503)).toBe(true);
    expect(health.some((x) => x.sentAt > downAt + 300 && x.doneAt < upAt)).toBe(true);

    // Back within 5 s of Postgres, without a restart: bookings and /health both.
    const firstBooked = bookings.filter((b) => b.status === 201 && b.sentAt >= upAt).sort((a, b) => a.doneAt - b.doneAt)[0];
    expect(firstBooked.doneAt - upAt).toBeLessThan(5000);
    const firstHealthy = health.filter((x) => x.status === 200 && x.sentAt >= upAt).sort((a, b) => a.doneAt - b.doneAt)[0];
    expect(firstHealthy.doneAt - upAt).toBeLessThan(5000);
    expect(bookings.filter((b) => b.sentAt > upAt + 5000).every((b) => [200, 201, 409].includes(b.status!))).toBe(true);
    expect(api.child.exitCode).toBeNull();

    // Every endpoint works again: a search, the bookings list, a request filed, the metrics.
    const secretary = scene.secretaries[0];
    expect((await client.call('GET', `/api/v1/slots/search?lat=${scene.place.lat}&lon=${scene.place.lon}`, secretary.token)).status).toBe(200);
    expect((await client.call('GET', '/api/v1/bookings', secretary.token)).status).toBe(200);
    const filed = await client.call('POST', '/api/v1/requests', secretary.token, { patient: patient(), location: scene.place, maxDistanceKm: 3 });
    expect(filed.status).toBe(202);
    expect((await client.call('GET', '/api/v1/metrics', h.admin.token)).status).toBe(200);

    // The database: every 201 is a booking, none doubled, none half-written, each with its messages.
    const created = [...new Set(bookings.filter((b) => b.status === 201 || b.status === 200).map((b) => b.body.id as string))];
    const [{ found }] = await scene.ds.query(`SELECT count(*)::int AS found FROM booking WHERE id = ANY($1) AND status = 'confirmed'`, [created]);
    expect(found).toBe(created.length);
    expect(await bookingIntegrity(scene.ds, scene.practiceId)).toEqual({ doubleBooked: 0, bookingWithoutBookedSlot: 0, bookedSlotWithoutBooking: 0, bookingWithoutNotification: 0 });
    // The outage was logged as such, without a 500, each line with its request (found by the X-Request-Id answered).
    const outageLines = api.logs(/database unreachable: answered 503/);
    expect(outageLines.length).toBeGreaterThan(0);
    for (const line of outageLines) expect(line.req).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), method: expect.any(String), path: expect.stringMatching(/^\/(api\/v1\/|health)/) });
  }, 120_000);
});
