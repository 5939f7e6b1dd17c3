import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomInt, randomUUID } from 'crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { withRppsCheckDigit } from '../../src/directory/rpps';
import { TEST_ADMIN, testConfig } from './test-config';

export const API = '/api/v1';

/** Demo communes with known centres (data/communes-demo.csv). */
export const PLACES = {
  chateaudun: { communeCode: '28088', lat: 48.0708, lon: 1.3378 },
  bonneval: { communeCode: '28051', lat: 48.1828, lon: 1.3867 },
  chartres: { communeCode: '28085', lat: 48.4469, lon: 1.4892 },
};

export interface Account {
  id: string;
  email: string;
  token: string;
  role: string;
}

/** The password of every account the stories create. */
export const TEST_PASSWORD = 'mot-de-passe-de-test';

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
export const randomRpps = () => withRppsCheckDigit(String(randomInt(1_000_000_000, 9_999_999_999)));

/** The real app on the real Postgres and Redis, plus the steps every story needs to set its scene. */
export class Harness {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly admin: Account,
  ) {}

  static async start(overrides: Partial<AppConfig> = {}): Promise<Harness> {
    const app = await createApp(testConfig(overrides));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const res = await request(app.getHttpServer()).post(`${API}/auth/login`).send(TEST_ADMIN);
    if (res.status !== 200 || !res.body.accessToken) {
      // An app left running would keep its queue workers taking other stories' jobs.
      await app.close();
      throw new Error(`the test admin could not sign in: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return new Harness(app, { id: res.body.user.id, email: TEST_ADMIN.email, token: res.body.accessToken, role: 'admin' });
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  /** A request signed in as `who` (an account or a raw token). */
  as(who: Account | string) {
    const token = typeof who === 'string' ? who : who.token;
    const server = this.app.getHttpServer();
    const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(request(server).get(`${API}${path}`)),
      post: (path: string) => auth(request(server).post(`${API}${path}`)),
      delete: (path: string) => auth(request(server).delete(`${API}${path}`)),
      patch: (path: string) => auth(request(server).patch(`${API}${path}`)),
    };
  }

  async community(communeCodes = Object.values(PLACES).map((p) => p.communeCode)): Promise<string> {
    return created(await this.as(this.admin).post('/communities').send({ name: unique('CPTS test'), communeCodes })).id;
  }

  async practice(communityId: string, body: Record<string, unknown> = {}): Promise<{ id: string; location: { lat: number; lon: number } }> {
    return created(
      await this.as(this.admin)
        .post('/practices')
        .send({ communityId, name: unique('Cabinet'), address: '1 place du Marché', communeCode: PLACES.chateaudun.communeCode, phone: '02 37 45 00 00', ...body }),
    );
  }

  async practitioner(practiceId: string, body: Record<string, unknown> = {}): Promise<{ id: string; practiceId: string; specialty?: string | null }> {
    return created(
      await this.as(this.admin)
        .post('/practitioners')
        .send({ rpps: randomRpps(), firstName: 'Claire', lastName: unique('Dr'), profession: 'general_practitioner', practiceId, modalities: ['in_person', 'teleconsultation'], ...body }),
    );
  }

  /** An account that can sign in; a coordinator of a new CPTS of its own unless `communityId` says which. */
  async account(role: string, links: { practiceId?: string; practitionerId?: string; communityId?: string } = {}): Promise<Account> {
    if (role === 'coordinator' && !links.communityId) links = { ...links, communityId: await this.community() };
    const email = `${unique(role)}@test.cpts.local`;
    const password = TEST_PASSWORD;
    const user = created(await this.as(this.admin).post('/users').send({ email, password, role, ...links }));
    const res = await this.http.post(`${API}/auth/login`).send({ email, password }).expect(200);
    return { id: user.id, email, token: res.body.accessToken, role };
  }

  /** A new CPTS with one practice and one GP who can sign in: the scene most stories start from. */
  async gpWithAgenda(): Promise<{ communityId: string; practiceId: string; practitionerId: string; gp: Account }> {
    const communityId = await this.community();
    const practiceId = (await this.practice(communityId)).id;
    const practitionerId = (await this.practitioner(practiceId)).id;
    return { communityId, practiceId, practitionerId, gp: await this.account('gp', { practitionerId }) };
  }

  /** Publishes slots for a practitioner, starting `minutesAhead` from now, each `minutes` long. */
  async publish(who: Account, practitionerId: string, starts: number[], minutes = 15, modality = 'in_person'): Promise<Array<{ id: string; start: string; end: string }>> {
    const slots = starts.map((m) => ({ start: inMinutes(m), end: inMinutes(m + minutes), modality }));
    return created(await this.as(who).post('/slots').send({ practitionerId, slots })).slots;
  }
}

/**
 * A place of its own for a story (somewhere in the south-west quarter of France, far from the demo
 * communes other stories use), so that no other story's slots are within reach of its searches.
 */
export function remotePlace(): { lat: number; lon: number } {
  return { lat: +(43.6 + Math.random() * 2.2).toFixed(5), lon: +(-0.8 + Math.random() * 3.5).toFixed(5) };
}

/**
 * A remote place no earlier story has used: no practice and no pending request within 20 km, so
 * slots and requests left by other test files (same database, one run) cannot join this story.
 */
export async function isolatedPlace(h: Harness): Promise<{ lat: number; lon: number }> {
  const ds = h.app.get(DataSource);
  for (;;) {
    const place = remotePlace();
    const [{ crowded }] = await ds.query(
      `SELECT EXISTS (SELECT 1 FROM practice WHERE earth_distance(ll_to_earth(lat, lon), ll_to_earth($1, $2)) < 20000)
           OR EXISTS (SELECT 1 FROM snp_request WHERE status = 'pending' AND earth_distance(ll_to_earth(lat, lon), ll_to_earth($1, $2)) < 20000) AS crowded`,
      [place.lat, place.lon],
    );
    if (!crowded) return place;
  }
}

/** The body of a 201; anything else fails with the status and the body (the API's message says why). */
function created(res: request.Response): any {
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls `probe` until `done` holds (or fails with the last value after `ms`). */
export async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${ms} ms; last value: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/** An instant `m` minutes from now, whole minutes, with an offset (as clients send them). */
export function inMinutes(m: number): string {
  const d = new Date(Math.ceil(Date.now() / 60000) * 60000 + m * 60000);
  return d.toISOString().replace('Z', '+00:00');
}

export const patient = (over: Record<string, unknown> = {}) => ({
  firstName: 'Léa',
  lastName: 'Martin',
  birthDate: '1990-05-17',
  phone: '06 12 34 56 78',
  communeCode: PLACES.chateaudun.communeCode,
  hasReferringGp: false,
  ...over,
});
