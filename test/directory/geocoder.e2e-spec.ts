import { DataSource } from 'typeorm';
import { FakeGeocoder } from '../support/geocoder-fake';
import { Harness, unique } from '../support/harness';

/**
 * Every commune searchable, every practice placed: the national geocoder (a local fake answering
 * its GeoJSON) gives a commune's centre the first time it is needed — kept for the next — and a
 * practice's address. When no centre can be had, the answer says in French what to do.
 */
describe('places: communes and practices through the national geocoder', () => {
  let fake: FakeGeocoder;
  let h: Harness;
  let ds: DataSource;
  const AJACCIO = { code: '2A004', postcode: '20000', lon: 8.7369, lat: 41.9192 };
  const SAINT_DENIS = { code: '97411', postcode: '97400', lon: 55.4504, lat: -20.8823 };
  const BASTIA = '2B033';

  beforeAll(async () => {
    fake = (await FakeGeocoder.start())
      .commune(AJACCIO.code, AJACCIO.lon, AJACCIO.lat)
      .commune(SAINT_DENIS.code, SAINT_DENIS.lon, SAINT_DENIS.lat)
      .address(AJACCIO.code, '4 cours Napoléon, 20000 Ajaccio', 8.7381, 41.9207);
    h = await Harness.start({ GEOCODER_URL: fake.url, GEOCODER_TIMEOUT_MS: 500 });
    ds = h.app.get(DataSource);
    // Earlier runs kept these centres: this story asks for them again.
    await ds.query(`UPDATE commune SET lat = NULL, lon = NULL WHERE code = ANY ($1)`, [[AJACCIO.code, SAINT_DENIS.code, BASTIA]]);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('places a practice at its address, another at its commune’s centre, and finds their slots by INSEE code and postcode', async () => {
    const communityId = (await h.as(h.admin).post('/communities').send({ name: unique('CPTS du pays ajaccien'), communeCodes: [AJACCIO.code, SAINT_DENIS.code] }).expect(201)).body.id;
    const ajaccio = (await h.as(h.admin).post('/practices').send({ communityId, name: unique('Cabinet'), address: '4 cours Napoléon, 20000 Ajaccio', communeCode: AJACCIO.code, phone: '04 95 21 00 00' }).expect(201)).body;
    expect(ajaccio.location).toEqual({ lat: 41.9207, lon: 8.7381 });
    // An address the geocoder cannot place: the commune's centre, asked once and kept.
    const reunion = (await h.as(h.admin).post('/practices').send({ communityId, name: unique('Cabinet'), address: 'Lieu-dit inconnu', communeCode: SAINT_DENIS.code, phone: '0262 41 12 34' }).expect(201)).body;
    expect(reunion.location).toEqual({ lat: SAINT_DENIS.lat, lon: SAINT_DENIS.lon });
    const [{ lat, lon }] = await ds.query(`SELECT lat, lon FROM commune WHERE code = $1`, [SAINT_DENIS.code]);
    expect([lat, lon]).toEqual([SAINT_DENIS.lat, SAINT_DENIS.lon]);

    const practitionerId = (await h.practitioner(ajaccio.id)).id;
    const gp = await h.account('gp', { practitionerId });
    const [slot] = await h.publish(gp, practitionerId, [90]);
    const secretary = await h.account('secretary', { practiceId: ajaccio.id });
    const asked = fake.requests.length;
    const byCode = (await h.as(secretary).get(`/slots/search?communeCode=${AJACCIO.code}`).expect(200)).body.results;
    expect(byCode.map((r: any) => r.slot.id)).toContain(slot.id);
    const byPostcode = (await h.as(secretary).get(`/slots/search?postcode=${AJACCIO.postcode}`).expect(200)).body.results;
    expect(byPostcode.map((r: any) => r.slot.id)).toContain(slot.id);
    // Ajaccio's centre was asked once (the first search), then kept.
    expect(fake.requests.slice(asked).filter((r) => r.type === 'municipality' && r.citycode === AJACCIO.code)).toHaveLength(1);
    await h.as(secretary).get(`/slots/search?communeCode=${AJACCIO.code}`).expect(200);
    expect(fake.requests.slice(asked).filter((r) => r.citycode === AJACCIO.code)).toHaveLength(1);
    // The regulation's availability view works there too.
    const regulator = await h.account('regulator');
    await h.as(regulator).get(`/availability?communeCode=${SAINT_DENIS.code}`).expect(200);
  });

  it('says in French what to do when a commune cannot be placed: unknown to the geocoder, the geocoder down or hanging', async () => {
    const secretary = await h.account('secretary', { practiceId: (await h.practice(await h.community())).id });
    const unknown = await h.as(secretary).get(`/slots/search?communeCode=${BASTIA}`).expect(422);
    expect(unknown.body).toMatchObject({ error: 'commune_location_unknown', message: expect.stringMatching(/^Nous ne savons pas situer Bastia pour le moment : choisissez une commune voisine/) });
    expect(unknown.body.message).not.toMatch(/location|lat|lon/);
    fake.mode = 'error';
    await h.as(secretary).get(`/slots/search?communeCode=${BASTIA}`).expect(422);
    fake.mode = 'hang';
    const started = Date.now();
    await h.as(secretary).get(`/slots/search?communeCode=${BASTIA}`).expect(422);
    expect(Date.now() - started).toBeLessThan(3000);
    fake.mode = 'ok';
  });

  it('asks nothing when the geocoder is off, and says the same', async () => {
    const offline = await Harness.start({ GEOCODER_URL: 'off' });
    try {
      const before = fake.requests.length;
      const secretary = await offline.account('secretary', { practiceId: (await offline.practice(await offline.community())).id });
      const res = await offline.as(secretary).get(`/slots/search?communeCode=${BASTIA}`).expect(422);
      expect(res.body.message).toMatch(/choisissez une commune voisine/);
      expect(fake.requests.length).toBe(before);
    } finally {
      await offline.close();
    }
  });
});
