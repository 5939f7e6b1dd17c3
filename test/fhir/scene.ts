import { randomInt } from 'crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { withFinessKey } from '../../src/directory/finess';
import { Account, API, Harness, PLACES, randomRpps, TEST_PASSWORD, unique } from '../support/harness';

export const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
export const uniqueFiness = () => withFinessKey(String(randomInt(10_000_000, 99_999_999)));

/** The headers the ANS's test kit sends with every request (sas_certification_suite.rb). */
export const KIT_HEADERS = { Accept: 'application/json+fhir', 'Content-Type': 'application/json' };

/** A CPTS the SAS knows (with its FINESS), a practice in Châteaudun, and the SAS platform's API key. */
export async function sasScene(h: Harness, practitioners = 1) {
  const finess = uniqueFiness();
  const community = (await h.as(h.admin).post('/communities').send({ name: unique('CPTS du Dunois'), communeCodes: [PLACES.chateaudun.communeCode], finess }).expect(201)).body;
  const practice = await h.practice(community.id, { name: unique('Maison de santé'), address: '12 rue de la République, 28200 Châteaudun', phone: '02 37 45 12 34' });
  const gps: Array<{ id: string; rpps: string }> = [];
  for (let i = 0; i < practitioners; i++) {
    const p = await h.practitioner(practice.id);
    const [{ rpps }] = await h.app.get(DataSource).query(`SELECT rpps FROM practitioner WHERE id = $1`, [p.id]);
    gps.push({ id: p.id, rpps });
  }
  const key = (await h.as(h.admin).post('/api-keys').send({ name: unique('Plateforme SAS'), role: 'regulator' }).expect(201)).body.key as string;
  return { community, finess, practice, gps, key };
}

/** A request to the façade with the SAS's credential and the kit's headers. */
export function sas(h: Harness, key: string) {
  const server = h.app.getHttpServer();
  const set = (r: request.Test) => r.set('X-Api-Key', key).set(KIT_HEADERS);
  return {
    get: (path: string) => set(request(server).get(path)),
    post: (path: string) => set(request(server).post(path)),
    put: (path: string) => set(request(server).put(path)),
  };
}

/** Publishes one slot per entry of `minutes` (from now) for a practitioner, as the admin (any agenda). */
export async function publishAt(h: Harness, practitionerId: string, minutes: number[], extra: Record<string, unknown> = {}): Promise<Array<{ id: string; start: string; end: string }>> {
  const slots = minutes.map((m) => {
    const start = DateTime.utc().startOf('minute').plus({ minutes: m });
    return { start: start.toISO(), end: start.plus({ minutes: 20 }).toISO(), ...extra };
  });
  return (await h.as(h.admin as Account).post('/slots').send({ practitionerId, slots }).expect(201)).body.slots;
}

/** An instant in the three forms the SAS and the kit send: Paris with its offset, UTC labelled +00:00, Paris without offset. */
export const forms = (iso: string) => {
  const d = DateTime.fromISO(iso).setZone('Europe/Paris');
  return {
    paris: d.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ"),
    utc: d.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'"),
    local: d.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS"),
  };
};

/** A regulator account known by their RPPS (Pro Santé Connect's, and the SAS's IDNPS `8`+RPPS), signed in. */
export async function regulatorWithRpps(h: Harness): Promise<Account & { rpps: string }> {
  const rpps = randomRpps();
  const email = `${unique('regulation')}@samu28.fr`;
  const user = (await h.as(h.admin).post('/users').send({ email, password: TEST_PASSWORD, role: 'regulator', rpps }).expect(201)).body;
  const token = (await h.http.post(`${API}/auth/login`).send({ email, password: TEST_PASSWORD }).expect(200)).body.accessToken;
  return { id: user.id, email, token, role: 'regulator', rpps };
}
