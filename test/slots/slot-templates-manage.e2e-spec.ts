import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { SLOTS_AVAILABLE, SlotsAvailableEvent } from '../../src/slots/slot-events';
import { SlotsService } from '../../src/slots/slots.service';
import { Account, Harness, patient } from '../support/harness';

const parisToday = () => DateTime.now().setZone('Europe/Paris').toISODate()!;
const parisDay = (plusDays: number) => DateTime.now().setZone('Europe/Paris').plus({ days: plusDays }).toISODate()!;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/**
 * The web front shows each agenda's weekly templates and lets whoever manages the agenda end one:
 * a GP sees their own, a secretary their practice's, the coordination all of them. Ending a
 * template stops it for good and withdraws its free slots to come, never a patient's booking.
 */
describe('weekly templates: who sees which, and ending one', () => {
  let h: Harness;
  let practiceA: string;
  let practiceB: string;
  let p1: string; // practice A
  let p2: string; // practice A
  let p3: string; // practice B
  let gp1: Account;
  let secretaryA: Account;
  let secretaryB: Account;
  let coordinator: Account;

  const template = (practitionerId: string, over: Record<string, unknown> = {}) => ({
    practitionerId, weekdays: [1, 3], startTime: '08:30', endTime: '09:30', slotMinutes: 15, validFrom: parisToday(), ...over,
  });

  beforeAll(async () => {
    h = await Harness.start();
    const communityId = await h.community();
    practiceA = (await h.practice(communityId)).id;
    practiceB = (await h.practice(communityId)).id;
    p1 = (await h.practitioner(practiceA)).id;
    p2 = (await h.practitioner(practiceA)).id;
    p3 = (await h.practitioner(practiceB)).id;
    gp1 = await h.account('gp', { practitionerId: p1 });
    secretaryA = await h.account('secretary', { practiceId: practiceA });
    secretaryB = await h.account('secretary', { practiceId: practiceB });
    coordinator = await h.account('coordinator', { communityId });
  });

  afterAll(() => h.close());

  describe('listing', () => {
    const ids: Record<string, string> = {};
    let p3Template: Record<string, unknown>;

    beforeAll(async () => {
      // Created afternoon first: the list still gives the morning first.
      ids.p1Afternoon = (await h.as(gp1).post('/slot-templates').send(template(p1, { startTime: '14:00', endTime: '15:00' })).expect(201)).body.template.id;
      ids.p1Morning = (await h.as(gp1).post('/slot-templates').send(template(p1)).expect(201)).body.template.id;
      ids.p2 = (await h.as(secretaryA).post('/slot-templates').send(template(p2, { weekdays: [2] })).expect(201)).body.template.id;
      const created = await h.as(coordinator).post('/slot-templates').send(template(p3, { modality: 'teleconsultation', validUntil: parisDay(60) })).expect(201);
      ids.p3 = created.body.template.id;
      p3Template = created.body.template;
      // One that ended yesterday (the API refuses to create it): no longer listed.
      const [old] = await h.app.get(DataSource).query(
        `INSERT INTO slot_template (practitioner_id, weekdays, start_time, end_time, slot_minutes, modality, valid_from, valid_until)
         VALUES ($1, '{5}', '18:00', '19:00', 15, 'in_person', $2, $3) RETURNING id`,
        [p1, parisDay(-30), parisDay(-1)],
      );
      ids.p1Expired = old.id;
    });

    it('shows a GP their own templates, by start time, in the shape POST /slot-templates answers', async () => {
      const res = await h.as(gp1).get('/slot-templates').expect(200);
      expect(res.body.templates.map((t: any) => t.id)).toEqual([ids.p1Morning, ids.p1Afternoon]);
      expect(res.body.templates[0]).toEqual({
        id: ids.p1Morning, practitionerId: p1, weekdays: [1, 3], startTime: '08:30', endTime: '09:30', slotMinutes: 15, modality: 'in_person', audiences: ['cpts', 'regulation'], validFrom: parisToday(), validUntil: null,
      });
      const own = await h.as(gp1).get(`/slot-templates?practitionerId=${p1}`).expect(200);
      expect(own.body.templates.map((t: any) => t.id)).toEqual([ids.p1Morning, ids.p1Afternoon]);
    });

    it('refuses a GP the templates of a colleague, in French', async () => {
      const res = await h.as(gp1).get(`/slot-templates?practitionerId=${p2}`).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'forbidden', message: 'Un médecin ne gère que ses propres créneaux' });
    });

    it('shows a secretary the templates of their practice’s practitioners only, grouped by practitioner', async () => {
      const res = await h.as(secretaryA).get('/slot-templates').expect(200);
      const listed: Array<{ id: string; practitionerId: string; startTime: string }> = res.body.templates;
      expect(listed.map((t) => t.id).sort()).toEqual([ids.p1Morning, ids.p1Afternoon, ids.p2].sort());
      const order = listed.map((t) => t.practitionerId);
      expect(order.filter((p, i) => i === 0 || p !== order[i - 1])).toHaveLength(2);
      const ofP1 = listed.filter((t) => t.practitionerId === p1).map((t) => t.startTime);
      expect(ofP1).toEqual(['08:30', '14:00']);

      const elsewhere = await h.as(secretaryA).get(`/slot-templates?practitionerId=${p3}`).expect(403);
      expect(elsewhere.body.message).toMatch(/cabinet/);
      const other = await h.as(secretaryB).get('/slot-templates').expect(200);
      expect(other.body.templates.map((t: any) => t.id)).toEqual([ids.p3]);
    });

    it('shows the coordination every agenda’s templates, or one practitioner’s', async () => {
      const res = await h.as(coordinator).get('/slot-templates').expect(200);
      const ours = res.body.templates.filter((t: any) => [p1, p2, p3].includes(t.practitionerId)).map((t: any) => t.id);
      expect(ours.sort()).toEqual([ids.p1Morning, ids.p1Afternoon, ids.p2, ids.p3].sort());
      expect(ours).not.toContain(ids.p1Expired);

      const one = await h.as(coordinator).get(`/slot-templates?practitionerId=${p3}`).expect(200);
      expect(one.body.templates).toEqual([p3Template]);
    });

    it('says what is wrong with a bad practitionerId, and who may not read templates', async () => {
      const bad = await h.as(coordinator).get('/slot-templates?practitionerId=not-a-uuid').expect(400);
      expect(bad.body).toMatchObject({ statusCode: 400, error: 'validation_failed', message: expect.stringContaining('practitionerId doit être un identifiant (uuid)') });
      expect(bad.body.details.map((d: any) => d.field)).toEqual(['practitionerId']);
      await h.as(coordinator).get(`/slot-templates?practitionerId=${randomUUID()}`).expect(404);

      const regulator = await h.account('regulator');
      const res = await h.as(regulator).get('/slot-templates').expect(403);
      expect(res.body.message).toMatch(/rôles/);
    });
  });

  describe('ending a template', () => {
    const tomorrowMidnight = () => DateTime.now().setZone('Europe/Paris').plus({ days: 1 }).startOf('day').toUTC().toISO()!;
    const ofTemplate = async (id: string) =>
      (await h.app.get(DataSource).query(`SELECT id, status FROM slot WHERE template_id = $1 AND starts_at >= $2 ORDER BY starts_at`, [id, tomorrowMidnight()])) as Array<{ id: string; status: string }>;

    let templateId: string;

    it('withdraws the free slots to come and keeps the booked one and a live hold; nothing announced', async () => {
      const created = await h.as(gp1).post('/slot-templates').send(template(p1, { weekdays: EVERY_DAY, startTime: '10:00', endTime: '11:00' })).expect(201);
      templateId = created.body.template.id;
      const ahead = await ofTemplate(templateId);
      expect(ahead.length).toBeGreaterThanOrEqual(6 * 4);
      const [booked, held, expiredHold] = ahead;

      await h.as(secretaryA).post('/bookings').send({ slotId: booked.id, patient: patient() }).expect(201);
      await h.as(secretaryA).post(`/slots/${held.id}/hold`).expect(201);
      await h.as(secretaryA).post(`/slots/${expiredHold.id}/hold`).expect(201);
      await h.app.get(DataSource).query(`UPDATE slot SET hold_expires_at = now() - interval '1 minute' WHERE id = $1`, [expiredHold.id]);
      // A slot published by hand the same week is not the template's: it stays.
      const handStart = DateTime.now().setZone('Europe/Paris').plus({ days: 2 }).set({ hour: 16, minute: 0, second: 0, millisecond: 0 });
      const byHand = await h.as(gp1).post('/slots').send({ practitionerId: p1, slots: [{ start: handStart.toISO(), end: handStart.plus({ minutes: 15 }).toISO() }] }).expect(201);

      // Nobody else may end it.
      const colleague = await h.account('gp', { practitionerId: p2 });
      expect((await h.as(colleague).delete(`/slot-templates/${templateId}`).expect(403)).body.message).toBe('Un médecin ne gère que ses propres créneaux');
      await h.as(secretaryB).delete(`/slot-templates/${templateId}`).expect(403);

      const events = h.app.get(EventEmitter2);
      const announced: string[] = [];
      const listen = (e: SlotsAvailableEvent) => announced.push(...e.slotIds);
      events.on(SLOTS_AVAILABLE, listen);
      try {
        await h.as(secretaryA).delete(`/slot-templates/${templateId}`).expect(204);
      } finally {
        events.off(SLOTS_AVAILABLE, listen);
      }
      expect(announced).toEqual([]);

      const after = new Map((await ofTemplate(templateId)).map((s) => [s.id, s.status]));
      expect(after.get(booked.id)).toBe('booked');
      expect(after.get(held.id)).toBe('held');
      expect(after.get(expiredHold.id)).toBe('cancelled');
      const rest = ahead.slice(3).map((s) => after.get(s.id));
      expect(new Set(rest)).toEqual(new Set(['cancelled']));
      const listed = await h.as(gp1).get(`/slots?practitionerId=${p1}&status=free`).expect(200);
      expect(listed.body.slots.map((s: any) => s.id)).toContain(byHand.body.slots[0].id);

      const templates = await h.as(gp1).get('/slot-templates').expect(200);
      expect(templates.body.templates.map((t: any) => t.id)).not.toContain(templateId);
    });

    it('is harmless a second time', async () => {
      const before = await ofTemplate(templateId);
      await h.as(gp1).delete(`/slot-templates/${templateId}`).expect(204);
      expect(await ofTemplate(templateId)).toEqual(before);
    });

    it('is not brought back by the nightly expansion', async () => {
      const slots = h.app.get(SlotsService);
      const ds = h.app.get(DataSource);
      const count = async (id: string) => Number((await ds.query(`SELECT count(*) AS n FROM slot WHERE template_id = $1`, [id]))[0].n);
      const before = await count(templateId);
      // A week from now: days the template never reached, where it would create slots if it were live.
      const nextWeek = parisDay(7);
      expect(await slots.expandTemplates(templateId, nextWeek)).toBe(0);
      await slots.expandTemplates(undefined, nextWeek);
      expect(await count(templateId)).toBe(before);

      // A live template of the same shape does get that week's slots.
      const live = await h.as(secretaryA).post('/slot-templates').send(template(p2, { weekdays: EVERY_DAY, startTime: '10:00', endTime: '11:00' })).expect(201);
      const liveBefore = await count(live.body.template.id);
      await slots.expandTemplates(undefined, nextWeek);
      expect(await count(live.body.template.id)).toBeGreaterThan(liveBefore);
    });

    it('answers 404 for an unknown template and 400 for an id that is not one', async () => {
      const res = await h.as(coordinator).delete(`/slot-templates/${randomUUID()}`).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found', message: 'Modèle de créneaux introuvable' });
      const bad = await h.as(coordinator).delete('/slot-templates/42').expect(400);
      expect(bad.body.message).toMatch(/uuid/);
    });
  });
});
