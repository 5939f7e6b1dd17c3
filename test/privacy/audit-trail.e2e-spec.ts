import { DataSource } from 'typeorm';
import { AuditTrailService } from '../../src/privacy/audit-trail.service';
import { API, Harness, patient } from '../support/harness';

/**
 * What a CPTS's DPO asks: who read or changed which record, when, from where, with no patient data
 * in the trail; and whether anyone changed or deleted a line of it directly in the database.
 */
describe('audit trail', () => {
  let h: Harness;
  let ds: DataSource;
  beforeAll(async () => {
    h = await Harness.start({ TRUSTED_PROXIES: '127.0.0.1' });
    ds = h.app.get(DataSource);
  });
  afterAll(() => h?.close());

  it('records who created, read, listed and cancelled a booking, from which address, never the patient', async () => {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const coordinator = await h.account('coordinator', { communityId });
    const [slot] = await h.publish(gp, practitionerId, [90]);
    const who = patient({ firstName: 'Yvette', lastName: 'Horcajada', phone: '06 48 27 19 55', birthDate: '1961-04-02' });
    const booking = (await h.as(secretary).post('/bookings').set('X-Forwarded-For', '192.0.2.10').send({ slotId: slot.id, patient: who, reason: 'angine' }).expect(201)).body;
    await h.as(coordinator).get(`/bookings/${booking.id}`).set('X-Forwarded-For', '192.0.2.20').expect(200);
    await h.as(gp).get('/bookings').expect(200);
    await h.as(coordinator).post(`/bookings/${booking.id}/cancel`).send({ reason: 'patiente hospitalisée' }).expect(200);

    const res = await h.as(h.admin).get(`/audit-events?entityId=${booking.id}`).expect(200);
    const events = res.body.events.slice().reverse();
    expect(events.map((e: any) => [e.action, e.actorRole])).toEqual([['create', 'secretary'], ['read', 'coordinator'], ['read', 'gp'], ['cancel', 'coordinator']]);
    expect(events[0]).toMatchObject({ actorUserId: secretary.id, entity: 'booking', entityId: booking.id, ip: '192.0.2.10', at: expect.any(String) });
    expect(events[1]).toMatchObject({ actorUserId: coordinator.id, ip: '192.0.2.20' });
    expect(events[2]).toMatchObject({ actorUserId: gp.id, entityIds: expect.arrayContaining([booking.id]) });
    const body = JSON.stringify(res.body);
    for (const secret of ['Yvette', 'Horcajada', '648271955', '1961-04-02', 'angine', 'hospitalisée']) expect(body).not.toContain(secret);

    const byActor = await h.as(h.admin).get(`/audit-events?actorUserId=${coordinator.id}&entity=booking`).expect(200);
    expect(byActor.body.events.every((e: any) => e.actorUserId === coordinator.id && e.entity === 'booking')).toBe(true);

    const csv = await h.as(h.admin).get(`/audit-events?entityId=${booking.id}`).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('\uFEFFid;at;actorUserId;actorApiKeyId;actorRole;action;entity;entityId;entityIds;ip\r\n')).toBe(true);
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(5);
    for (const secret of ['Yvette', 'Horcajada', '648271955']) expect(csv.text).not.toContain(secret);

    await h.as(coordinator).get('/audit-events').expect(403);
    await h.as(h.admin).get('/audit-events?entity=dossier').expect(400);
  });

  it('verifies the chain, and names the line changed or the line after those deleted directly in SQL', async () => {
    // Events of this story, to tamper with.
    const { gp, practitionerId } = await h.gpWithAgenda();
    const [slot] = await h.publish(gp, practitionerId, [120]);
    const booking = (await h.as(h.admin).post('/bookings').send({ slotId: slot.id, patient: patient() }).expect(201)).body;
    for (let i = 0; i < 3; i++) await h.as(h.admin).get(`/bookings/${booking.id}`).expect(200);

    const clean = await h.as(h.admin).get('/audit-events/verify').expect(200);
    expect(clean.body).toEqual({ ok: true, checked: expect.any(Number) });
    expect(clean.body.checked).toBeGreaterThan(4);
    const mine = await ds.query(`SELECT *, at::text AS at_text FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [booking.id]);
    expect(mine.length).toBe(4);
    expect(mine.every((e: any) => e.seq !== null && e.hash !== null)).toBe(true);

    // Someone turns a read into nothing suspicious… by changing its action.
    await ds.query(`UPDATE audit_event SET action = 'login' WHERE id = $1`, [mine[1].id]);
    const changed = await h.as(h.admin).get('/audit-events/verify').expect(200);
    expect(changed.body).toMatchObject({ ok: false, firstBrokenId: Number(mine[1].id), firstBrokenSeq: Number(mine[1].seq), reason: expect.stringContaining('modifié') });
    await ds.query(`UPDATE audit_event SET action = 'read' WHERE id = $1`, [mine[1].id]);
    expect((await h.as(h.admin).get('/audit-events/verify').expect(200)).body.ok).toBe(true);

    // Someone deletes a line: the next one no longer hangs on its predecessor.
    await ds.query(`DELETE FROM audit_event WHERE id = $1`, [mine[2].id]);
    const deleted = await h.as(h.admin).get('/audit-events/verify').expect(200);
    expect(deleted.body).toMatchObject({ ok: false, firstBrokenId: Number(mine[3].id), reason: expect.stringContaining('manquent') });
    await reinsert(mine[2]);
    expect((await h.as(h.admin).get('/audit-events/verify').expect(200)).body.ok).toBe(true);

    // Someone deletes the last lines: the chain's recorded end says so.
    const [last] = await ds.query(`SELECT *, at::text AS at_text FROM audit_event WHERE seq = (SELECT last_seq FROM audit_chain)`);
    await ds.query(`DELETE FROM audit_event WHERE id = $1`, [last.id]);
    const tail = await h.as(h.admin).get('/audit-events/verify').expect(200);
    expect(tail.body).toMatchObject({ ok: false, firstBrokenSeq: Number(last.seq), reason: expect.stringContaining('derniers') });
    await reinsert(last);
    expect((await h.as(h.admin).get('/audit-events/verify').expect(200)).body.ok).toBe(true);
  });

  it('deletes events past AUDIT_RETENTION_DAYS from the start of the chain, which still verifies', async () => {
    const trail = h.app.get(AuditTrailService);
    await h.as(h.admin).get('/audit-events/verify').expect(200);
    const [{ first_seq: before }] = await ds.query(`SELECT first_seq FROM audit_chain`);
    // The oldest events, as if a year and more had passed (their hash no longer holds: they are about to go).
    const [{ upto }] = await ds.query(`SELECT min(seq) + 4 AS upto FROM audit_event WHERE seq IS NOT NULL`);
    await ds.query(`UPDATE audit_event SET at = now() - interval '400 days' WHERE seq <= $1`, [upto]);
    expect(await trail.purge(365)).toBeGreaterThanOrEqual(5);
    const [{ first_seq: after }] = await ds.query(`SELECT first_seq FROM audit_chain`);
    expect(Number(after)).toBe(Number(upto) + 1);
    expect(Number(after)).toBeGreaterThan(Number(before));
    expect((await h.as(h.admin).get('/audit-events/verify').expect(200)).body.ok).toBe(true);
    expect(await trail.purge(365)).toBe(0);
    // The chain says where it starts now, and why.
    const retention = (await h.as(h.admin).get('/audit-events?entity=audit').expect(200)).body.events[0];
    expect(retention).toMatchObject({ action: 'retention', actorRole: 'system', detail: expect.stringMatching(new RegExp(`^start=${Number(upto) + 1};prev=[0-9a-f]{64};deleted=\\d+$`)) });

    // Deleting the head of the chain now and moving its recorded start, as retention would but
    // without it: the start no longer matches what the chain says.
    await h.as(h.admin).get('/audit-events/verify').expect(200);
    const [head] = await ds.query(`SELECT seq, hash FROM audit_event WHERE seq = (SELECT first_seq FROM audit_chain)`);
    const saved = await ds.query(`SELECT *, at::text AS at_text FROM audit_event WHERE seq = $1`, [head.seq]);
    await ds.query(`DELETE FROM audit_event WHERE seq = $1`, [head.seq]);
    await ds.query(`UPDATE audit_chain SET first_seq = $1 + 1, first_prev_hash = $2`, [head.seq, head.hash]);
    const moved = await h.as(h.admin).get('/audit-events/verify').expect(200);
    expect(moved.body).toMatchObject({ ok: false, reason: expect.stringContaining('sans passer par la rétention') });
    await reinsert(saved[0]);
    await ds.query(`UPDATE audit_chain SET first_seq = $1, first_prev_hash = $2`, [head.seq, saved[0].prev_hash]);
    expect((await h.as(h.admin).get('/audit-events/verify').expect(200)).body.ok).toBe(true);
  });

  /** Puts back a deleted event exactly as it was (its instant to the microsecond, read as text). */
  async function reinsert(e: any) {
    await ds.query(
      `INSERT INTO audit_event (id, at, actor_user_id, actor_api_key_id, actor_role, action, entity, entity_id, entity_ids, ip, detail, seq, prev_hash, hash)
       VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [e.id, e.at_text, e.actor_user_id, e.actor_api_key_id, e.actor_role, e.action, e.entity, e.entity_id, e.entity_ids, e.ip, e.detail, e.seq, e.prev_hash, e.hash],
    );
  }

  it('is the admins’ (403 otherwise)', async () => {
    const secretary = await h.account('secretary', { practiceId: (await h.practice(await h.community())).id });
    await h.http.get(`${API}/audit-events/verify`).set('Authorization', `Bearer ${secretary.token}`).expect(403);
  });
});
