import { randomUUID } from 'crypto';
import request from 'supertest';
import { Account, API, Harness, inMinutes, patient, PLACES, randomRpps } from '../support/harness';

/**
 * Whatever a client sends, the answer is a 4xx that says what to fix, never a 500: every endpoint,
 * fed wrong types, missing and unknown fields, huge strings, impossible dates and coordinates out
 * of range. Answers have the contract's error shape; 400s name the offending fields in `details`.
 */

type Who = 'admin' | 'secretary' | 'gp';
interface Case {
  name: string;
  who: Who;
  method: 'get' | 'post' | 'delete';
  path: string | ((ids: Ids) => string);
  body?: Record<string, unknown> | unknown[] | ((ids: Ids) => unknown);
  status: number;
  /** Fields that `details` must name (400 only). */
  fields?: string[];
}
interface Ids {
  communityId: string;
  practiceId: string;
  practitionerId: string;
  slotId: string;
  bookingId: string;
}

const HUGE = 'x'.repeat(100_000);
const UNKNOWN = randomUUID();
const slot = (over: Record<string, unknown> = {}) => ({ start: inMinutes(600), end: inMinutes(615), ...over });
const booking = (ids: Ids, over: Record<string, unknown> = {}) => ({ slotId: ids.slotId, patient: patient(), ...over });

const CASES: Case[] = [
  // Sign-in and accounts
  { name: 'login without fields', who: 'admin', method: 'post', path: '/auth/login', body: {}, status: 400, fields: ['email', 'password'] },
  { name: 'login with wrong types', who: 'admin', method: 'post', path: '/auth/login', body: { email: 42, password: ['a'] }, status: 400, fields: ['email', 'password'] },
  { name: 'login with an unknown field', who: 'admin', method: 'post', path: '/auth/login', body: { email: 'a@b.fr', password: 'x'.repeat(12), remember: true }, status: 400, fields: ['remember'] },
  { name: 'login with a huge e-mail', who: 'admin', method: 'post', path: '/auth/login', body: { email: `${HUGE}@b.fr`, password: 'x'.repeat(12) }, status: 400, fields: ['email'] },
  { name: 'user with short password and unknown role', who: 'admin', method: 'post', path: '/users', body: { email: 'new@test.fr', password: 'court', role: 'boss' }, status: 400, fields: ['password', 'role'] },
  { name: 'user with a practiceId that is not a uuid', who: 'admin', method: 'post', path: '/users', body: { email: 'new@test.fr', password: 'x'.repeat(12), role: 'secretary', practiceId: '12' }, status: 400, fields: ['practiceId'] },
  { name: 'users filtered by an unknown role', who: 'admin', method: 'get', path: '/users?role=boss', status: 400, fields: ['role'] },
  { name: 'users filtered by a practiceId that is not a uuid', who: 'admin', method: 'get', path: '/users?practiceId=12', status: 400, fields: ['practiceId'] },
  { name: 'a secretary listing the accounts', who: 'secretary', method: 'get', path: '/users', status: 403 },
  { name: 'API key without name', who: 'admin', method: 'post', path: '/api-keys', body: { role: 'regulator' }, status: 400, fields: ['name'] },
  { name: 'API key with a huge name and a bad role', who: 'admin', method: 'post', path: '/api-keys', body: { name: HUGE, role: 7 }, status: 400, fields: ['name', 'role'] },

  // Members
  { name: 'community with wrong types', who: 'admin', method: 'post', path: '/communities', body: { name: 123, communeCodes: '28088' }, status: 400, fields: ['name', 'communeCodes'] },
  { name: 'community with an empty commune list', who: 'admin', method: 'post', path: '/communities', body: { name: 'CPTS vide', communeCodes: [] }, status: 400, fields: ['communeCodes'] },
  { name: 'community with a malformed INSEE code', who: 'admin', method: 'post', path: '/communities', body: { name: 'CPTS X', communeCodes: ['2808'] }, status: 400, fields: ['communeCodes'] },
  {
    name: 'practice with every field wrong',
    who: 'admin',
    method: 'post',
    path: '/practices',
    body: { communityId: 'abc', name: '', address: HUGE, communeCode: 'ABCDEF', phone: '12', location: { lat: 91, lon: -181 } },
    status: 400,
    fields: ['communityId', 'name', 'address', 'communeCode', 'phone', 'location.lat', 'location.lon'],
  },
  { name: 'practice with location as a list', who: 'admin', method: 'post', path: '/practices', body: (ids) => ({ communityId: ids.communityId, name: 'Cabinet', address: '1 rue', communeCode: '28088', phone: '02 37 45 00 00', location: [48, 1] }), status: 400, fields: ['location'] },
  { name: 'practice in an unknown community', who: 'admin', method: 'post', path: '/practices', body: { communityId: UNKNOWN, name: 'Cabinet', address: '1 rue', communeCode: '28088', phone: '02 37 45 00 00' }, status: 422 },
  { name: 'practitioner with a bad RPPS check digit', who: 'admin', method: 'post', path: '/practitioners', body: (ids) => ({ rpps: '10003456785', firstName: 'A', lastName: 'B', profession: 'general_practitioner', practiceId: ids.practiceId }), status: 400, fields: ['rpps'] },
  {
    name: 'practitioner with wrong age, profession and modality',
    who: 'admin',
    method: 'post',
    path: '/practitioners',
    body: (ids) => ({ rpps: randomRpps(), firstName: 'A', lastName: 'B', profession: 'wizard', practiceId: ids.practiceId, minPatientAgeMonths: -1, modalities: ['teleport'] }),
    status: 400,
    fields: ['profession', 'minPatientAgeMonths', 'modalities'],
  },
  { name: 'practitioner with age as text', who: 'admin', method: 'post', path: '/practitioners', body: (ids) => ({ rpps: randomRpps(), firstName: 'A', lastName: 'B', profession: 'general_practitioner', practiceId: ids.practiceId, minPatientAgeMonths: 'ten' }), status: 400, fields: ['minPatientAgeMonths'] },
  { name: 'practices filtered by a bad community id', who: 'admin', method: 'get', path: '/practices?communityId=abc', status: 400, fields: ['communityId'] },
  { name: 'practitioners filtered by an unknown profession', who: 'admin', method: 'get', path: '/practitioners?profession=wizard', status: 400, fields: ['profession'] },
  { name: 'practitioner asked by a bad id', who: 'admin', method: 'get', path: '/practitioners?id=abc', status: 400, fields: ['id'] },
  { name: 'practitioners with an unknown query parameter', who: 'admin', method: 'get', path: '/practitioners?sort=name', status: 400, fields: ['sort'] },
  { name: 'communes without q', who: 'secretary', method: 'get', path: '/communes', status: 400, fields: ['q'] },
  { name: 'communes with a huge q', who: 'secretary', method: 'get', path: `/communes?q=${'a'.repeat(5000)}`, status: 400, fields: ['q'] },

  // Slots and templates
  { name: 'publish with slots as text', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: 'demain matin' }), status: 400, fields: ['slots'] },
  { name: 'publish with impossible dates', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: [{ start: '2026-02-30T10:00:00+01:00', end: 'tomorrow' }] }), status: 400, fields: ['slots.0.start', 'slots.0.end'] },
  { name: 'publish an instant without offset', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: [{ start: '2030-12-01T10:00', end: '2030-12-01T10:15' }] }), status: 400, fields: ['slots.0.start', 'slots.0.end'] },
  { name: 'publish an empty list', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: [] }), status: 400, fields: ['slots'] },
  { name: 'publish 201 slots at once', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: Array.from({ length: 201 }, (_, i) => slot({ start: inMinutes(1000 + i * 20), end: inMinutes(1015 + i * 20) })) }), status: 400, fields: ['slots'] },
  { name: 'publish with an unknown modality and field', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: [slot({ modality: 'drive', colour: 'red' })] }), status: 400, fields: ['slots.0.modality', 'slots.0.colour'] },
  { name: 'publish for a practitioner id that is not a uuid', who: 'gp', method: 'post', path: '/slots', body: { practitionerId: 'me', slots: [slot()] }, status: 400, fields: ['practitionerId'] },
  { name: 'list slots from "yesterday"', who: 'gp', method: 'get', path: '/slots?from=yesterday', status: 400, fields: ['from'] },
  { name: 'withdraw a slot id that is not a uuid', who: 'gp', method: 'delete', path: '/slots/42', status: 400 },
  { name: 'withdraw an unknown slot', who: 'gp', method: 'delete', path: `/slots/${UNKNOWN}`, status: 404 },
  { name: 'hold a slot id that is not a uuid', who: 'secretary', method: 'post', path: '/slots/abc/hold', body: {}, status: 400 },
  { name: 'hold an unknown slot', who: 'secretary', method: 'post', path: `/slots/${UNKNOWN}/hold`, body: {}, status: 404 },
  {
    name: 'template with every field wrong',
    who: 'gp',
    method: 'post',
    path: '/slot-templates',
    body: (ids) => ({ practitionerId: ids.practitionerId, weekdays: [0, 8], startTime: '25:00', endTime: '8h', slotMinutes: 2, validFrom: '2026-02-30' }),
    status: 400,
    fields: ['weekdays', 'startTime', 'endTime', 'slotMinutes', 'validFrom'],
  },
  { name: 'templates of a practitioner id that is not a uuid', who: 'gp', method: 'get', path: '/slot-templates?practitionerId=me', status: 400, fields: ['practitionerId'] },
  { name: 'templates with an unknown query parameter', who: 'gp', method: 'get', path: '/slot-templates?active=true', status: 400, fields: ['active'] },
  { name: 'end a template id that is not a uuid', who: 'gp', method: 'delete', path: '/slot-templates/42', status: 400 },
  { name: 'end an unknown template', who: 'gp', method: 'delete', path: `/slot-templates/${UNKNOWN}`, status: 404 },
  { name: 'template without anything', who: 'gp', method: 'post', path: '/slot-templates', body: {}, status: 400, fields: ['practitionerId', 'weekdays', 'startTime', 'endTime', 'slotMinutes', 'validFrom'] },

  // Search
  { name: 'search at latitude 91', who: 'secretary', method: 'get', path: '/slots/search?lat=91&lon=1.3', status: 400, fields: ['lat'] },
  { name: 'search at longitude -181', who: 'secretary', method: 'get', path: '/slots/search?lat=48&lon=-181', status: 400, fields: ['lon'] },
  { name: 'search at a latitude that is text', who: 'secretary', method: 'get', path: '/slots/search?lat=nord&lon=1.3', status: 400, fields: ['lat'] },
  { name: 'search with lat but no lon', who: 'secretary', method: 'get', path: '/slots/search?lat=48', status: 400, fields: ['lon'] },
  { name: 'search without a place', who: 'secretary', method: 'get', path: '/slots/search', status: 400, fields: ['communeCode'] },
  { name: 'search by a malformed commune code', who: 'secretary', method: 'get', path: '/slots/search?communeCode=XYZ', status: 400, fields: ['communeCode'] },
  { name: 'search by a malformed postcode', who: 'secretary', method: 'get', path: '/slots/search?postcode=123', status: 400, fields: ['postcode'] },
  { name: 'search with distance, limit and age out of range', who: 'secretary', method: 'get', path: `/slots/search?communeCode=${PLACES.chateaudun.communeCode}&maxDistanceKm=0&limit=1000&patientAgeMonths=-3`, status: 400, fields: ['maxDistanceKm', 'limit', 'patientAgeMonths'] },
  { name: 'search with an unknown modality', who: 'secretary', method: 'get', path: `/slots/search?communeCode=${PLACES.chateaudun.communeCode}&modality=drive`, status: 400, fields: ['modality'] },
  { name: 'search from 30 February', who: 'secretary', method: 'get', path: `/slots/search?communeCode=${PLACES.chateaudun.communeCode}&from=2026-02-30T10:00:00Z`, status: 400, fields: ['from'] },
  { name: 'search with to before from', who: 'secretary', method: 'get', path: `/slots/search?communeCode=${PLACES.chateaudun.communeCode}&from=2030-01-02T10:00:00Z&to=2030-01-01T10:00:00Z`, status: 400, fields: ['to'] },
  { name: 'search with an unknown parameter', who: 'secretary', method: 'get', path: `/slots/search?communeCode=${PLACES.chateaudun.communeCode}&radius=5`, status: 400, fields: ['radius'] },

  // Bookings
  { name: 'book without anything', who: 'secretary', method: 'post', path: '/bookings', body: {}, status: 400, fields: ['slotId', 'patient'] },
  { name: 'book without a patient', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => ({ slotId: ids.slotId }), status: 400, fields: ['patient'] },
  { name: 'publish with a slot that is a number', who: 'gp', method: 'post', path: '/slots', body: (ids) => ({ practitionerId: ids.practitionerId, slots: [5] }), status: 400, fields: ['slots.0'] },
  { name: 'book with the patient as text', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => ({ slotId: ids.slotId, patient: 'Léa Martin' }), status: 400, fields: ['patient'] },
  {
    name: 'book with every patient field wrong',
    who: 'secretary',
    method: 'post',
    path: '/bookings',
    body: (ids) => booking(ids, { patient: { firstName: '', lastName: HUGE, birthDate: '2026-02-30', phone: 'abc', email: 'léa@', communeCode: 'zz', hasReferringGp: 'oui' } }),
    status: 400,
    fields: ['patient.firstName', 'patient.lastName', 'patient.birthDate', 'patient.phone', 'patient.email', 'patient.communeCode', 'patient.hasReferringGp'],
  },
  { name: 'book for a patient born tomorrow', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => booking(ids, { patient: patient({ birthDate: '2999-01-01' }) }), status: 400, fields: ['patient.birthDate'] },
  { name: 'book with a hold token that is not one', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => booking(ids, { holdToken: 'abc' }), status: 400, fields: ['holdToken'] },
  { name: 'book with a huge reason and an unknown field', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => booking(ids, { reason: HUGE, urgent: true }), status: 400, fields: ['reason', 'urgent'] },
  { name: 'book an unknown slot', who: 'secretary', method: 'post', path: '/bookings', body: (ids) => booking(ids, { slotId: UNKNOWN }), status: 404 },
  { name: 'book with a list as body', who: 'secretary', method: 'post', path: '/bookings', body: [1, 2], status: 400 },
  { name: 'list bookings from "tomorrow"', who: 'secretary', method: 'get', path: '/bookings?from=tomorrow', status: 400, fields: ['from'] },
  { name: 'a booking id that is not a uuid', who: 'secretary', method: 'get', path: '/bookings/42', status: 400 },
  { name: 'an unknown booking', who: 'secretary', method: 'get', path: `/bookings/${UNKNOWN}`, status: 404 },
  { name: 'cancel a booking id that is not a uuid', who: 'secretary', method: 'post', path: '/bookings/42/cancel', body: {}, status: 400 },
  { name: 'cancel with a reason that is a number', who: 'secretary', method: 'post', path: (ids) => `/bookings/${ids.bookingId}/cancel`, body: { reason: 5 }, status: 400, fields: ['reason'] },
  { name: 'outcome "maybe"', who: 'gp', method: 'post', path: (ids) => `/bookings/${ids.bookingId}/outcome`, body: { outcome: 'maybe' }, status: 400, fields: ['outcome'] },
  { name: 'outcome missing', who: 'gp', method: 'post', path: (ids) => `/bookings/${ids.bookingId}/outcome`, body: {}, status: 400, fields: ['outcome'] },
  { name: 'an unknown address', who: 'secretary', method: 'get', path: '/nowhere', status: 404 },

  // SNP requests
  { name: 'request without anything', who: 'secretary', method: 'post', path: '/requests', body: {}, status: 400, fields: ['patient', 'location'] },
  { name: 'request with location as text', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: 'Châteaudun' }, status: 400, fields: ['location'] },
  { name: 'request with lat only', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: { lat: 48 } }, status: 400, fields: ['location.lon'] },
  { name: 'request with an empty location', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: {} }, status: 400, fields: ['location'] },
  { name: 'request at latitude 91', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: { lat: 91, lon: 1 } }, status: 400, fields: ['location.lat'] },
  {
    name: 'request with wrong window, modalities, distance and flags',
    who: 'secretary',
    method: 'post',
    path: '/requests',
    body: { patient: patient(), location: { communeCode: '28088' }, notBefore: '2026-02-30T10:00:00Z', notAfter: 'ce soir', modalities: ['drive'], maxDistanceKm: -5, chronicCondition: 'oui' },
    status: 400,
    fields: ['notBefore', 'notAfter', 'modalities', 'maxDistanceKm', 'chronicCondition'],
  },
  { name: 'request with notAfter before notBefore', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: { communeCode: '28088' }, notBefore: '2030-01-02T10:00:00Z', notAfter: '2030-01-01T10:00:00Z' }, status: 400, fields: ['notAfter'] },
  { name: 'request in a commune whose centre is unknown', who: 'secretary', method: 'post', path: '/requests', body: { patient: patient(), location: { communeCode: '75056' } }, status: 422 },
  { name: 'requests filtered by an unknown status', who: 'secretary', method: 'get', path: '/requests?status=lost', status: 400, fields: ['status'] },
  { name: 'a request id that is not a uuid', who: 'secretary', method: 'get', path: '/requests/42', status: 400 },
  { name: 'an unknown request', who: 'secretary', method: 'get', path: `/requests/${UNKNOWN}`, status: 404 },
  { name: 'cancel an unknown request', who: 'secretary', method: 'post', path: `/requests/${UNKNOWN}/cancel`, body: {}, status: 404 },
  { name: 'a GP filing a request', who: 'gp', method: 'post', path: '/requests', body: { patient: patient(), location: { communeCode: '28088' } }, status: 403 },
  { name: 'availability with a radius of 0', who: 'admin', method: 'get', path: '/availability?communeCode=28088&radiusKm=0', status: 400, fields: ['radiusKm'] },
  { name: 'availability with buckets of 7 minutes', who: 'admin', method: 'get', path: '/availability?communeCode=28088&bucketMinutes=7', status: 400, fields: ['bucketMinutes'] },
  { name: 'availability from a date without offset', who: 'admin', method: 'get', path: '/availability?communeCode=28088&from=2027-01-01T10:00:00', status: 400, fields: ['from'] },
  { name: 'availability with lat only', who: 'admin', method: 'get', path: '/availability?lat=48', status: 400, fields: ['lon'] },
  { name: 'a secretary reading the availability', who: 'secretary', method: 'get', path: '/availability?communeCode=28088', status: 403 },
  { name: 'notifications filtered by an unknown status', who: 'admin', method: 'get', path: '/notifications?status=lost', status: 400, fields: ['status'] },
  { name: 'notifications of a booking id that is not one', who: 'admin', method: 'get', path: '/notifications?bookingId=42', status: 400, fields: ['bookingId'] },
  { name: 'notifications with limit 0', who: 'admin', method: 'get', path: '/notifications?limit=0', status: 400, fields: ['limit'] },
  { name: 'notifications with a limit that is not a number', who: 'admin', method: 'get', path: '/notifications?limit=beaucoup', status: 400, fields: ['limit'] },
  { name: 'a secretary reading the notifications', who: 'secretary', method: 'get', path: '/notifications', status: 403 },
];

describe('malformed input on every endpoint', () => {
  let h: Harness;
  let ids: Ids;
  const accounts = {} as Record<Who, Account>;

  beforeAll(async () => {
    h = await Harness.start();
    const scene = await h.gpWithAgenda();
    accounts.admin = h.admin;
    accounts.gp = scene.gp;
    accounts.secretary = await h.account('secretary', { practiceId: scene.practiceId });
    const [free, taken] = await h.publish(scene.gp, scene.practitionerId, [240, 300]);
    const booked = await h.as(accounts.secretary).post('/bookings').send({ slotId: taken.id, patient: patient() }).expect(201);
    ids = { communityId: scene.communityId, practiceId: scene.practiceId, practitionerId: scene.practitionerId, slotId: free.id, bookingId: booked.body.id };
  });
  afterAll(async () => {
    await h.close();
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const path = typeof c.path === 'function' ? c.path(ids) : c.path;
    const body = typeof c.body === 'function' ? (c.body as (i: Ids) => unknown)(ids) : c.body;
    let req = h.as(accounts[c.who])[c.method](path);
    if (body !== undefined) req = req.send(body as object);
    const res = await req;

    expect(res.status).toBe(c.status);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: c.status, error: expect.any(String), message: expect.any(String) }));
    expect(res.body.message.length).toBeGreaterThan(5);
    if (c.fields) {
      const named = (res.body.details ?? []).map((d: { field: string }) => d.field);
      for (const f of c.fields) expect(named).toContain(f);
    }
  });

  it('refuses a body that is not JSON, saying so', async () => {
    const res = await h.as(accounts.secretary).post('/bookings').set('Content-Type', 'application/json').send('{"slotId": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed', message: expect.stringContaining('JSON') });
  });

  it('refuses a bare number as body', async () => {
    const res = await h.as(accounts.secretary).post('/bookings').set('Content-Type', 'application/json').send('42');
    expect(res.status).toBe(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('refuses another content type with 415', async () => {
    const res = await h.as(accounts.secretary).post('/bookings').set('Content-Type', 'text/plain').send('slotId=1');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
  });

  it('refuses a body over 256 kB with 413', async () => {
    const res = await h.as(accounts.secretary).post('/bookings').send({ slotId: ids.slotId, patient: patient(), reason: 'x'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
  });

  const protectedEndpoints: Array<['get' | 'post' | 'delete', string]> = [
    ['post', '/users'], ['get', '/users'], ['post', '/api-keys'], ['post', '/communities'], ['post', '/practices'], ['post', '/practitioners'],
    ['get', '/practices'], ['get', '/practitioners'], ['get', '/communes?q=chateaudun'], ['post', '/slots'], ['get', '/slots'],
    ['get', '/slots/search?communeCode=28088'], ['delete', `/slots/${UNKNOWN}`], ['post', `/slots/${UNKNOWN}/hold`], ['post', '/slot-templates'],
    ['get', '/slot-templates'], ['delete', `/slot-templates/${UNKNOWN}`],
    ['post', '/bookings'], ['get', '/bookings'], ['get', `/bookings/${UNKNOWN}`], ['post', `/bookings/${UNKNOWN}/cancel`], ['post', `/bookings/${UNKNOWN}/outcome`],
    ['post', '/requests'], ['get', '/requests'], ['get', `/requests/${UNKNOWN}`], ['post', `/requests/${UNKNOWN}/cancel`],
    ['get', '/metrics'],
    ['get', '/notifications'],
    ['get', '/availability?communeCode=28088'],
  ];

  test.each(protectedEndpoints)('%s %s without credentials → 401', async (method, path) => {
    const res = await request(h.app.getHttpServer())[method](`${API}${path}`).send({});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized', message: expect.stringContaining('Authorization') });
  });

  it('401 with a forged token', async () => {
    const res = await h.as('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA').get('/bookings');
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/reconnectez-vous/);
  });

  it.each([
    ['a secretary creating a community', 'secretary', 'post', '/communities'],
    ['a GP searching slots', 'gp', 'get', '/slots/search?communeCode=28088'],
    ['a GP booking', 'gp', 'post', '/bookings'],
    ['a secretary creating an API key', 'secretary', 'post', '/api-keys'],
    ['a secretary reading the metrics', 'secretary', 'get', '/metrics'],
    ['a GP listing the accounts', 'gp', 'get', '/users'],
  ] as const)('403 for %s, naming the roles allowed', async (_, who, method, path) => {
    const res = await h.as(accounts[who])[method](path).send({});
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'forbidden', message: expect.stringContaining('rôles') });
  });
});
