import { DataSource } from 'typeorm';
import { Account, Harness, isolatedPlace } from '../support/harness';

/**
 * A remote practice of a new CPTS with `gps` GPs, each with `perGp` free 5-minute slots from 30 min
 * from now (seeded in SQL: the load needs thousands), and `secretaries` secretary accounts of
 * another practice of the same CPTS, signed in.
 */
export async function loadScene(h: Harness, o: { gps: number; perGp: number; secretaries: number }) {
  const place = await isolatedPlace(h);
  const communityId = await h.community();
  const practiceId = (await h.practice(communityId, { location: place })).id;
  const practitionerIds: string[] = [];
  for (let i = 0; i < o.gps; i++) practitionerIds.push((await h.practitioner(practiceId)).id);
  const ds = h.app.get(DataSource);
  const slots: { id: string }[] = await ds.query(
    `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality)
     SELECT p, $2, date_trunc('minute', now()) + interval '30 minutes' + g * interval '5 minutes',
            date_trunc('minute', now()) + interval '35 minutes' + g * interval '5 minutes', 'in_person'
       FROM unnest($1::uuid[]) p, generate_series(0, $3 - 1) g
     RETURNING id`,
    [practitionerIds, practiceId, o.perGp],
  );
  const otherPractice = (await h.practice(communityId)).id;
  const secretaries: Account[] = [];
  for (let i = 0; i < o.secretaries; i++) secretaries.push(await h.account('secretary', { practiceId: otherPractice }));
  return { place, communityId, practiceId, practitionerIds, slotIds: slots.map((s) => s.id), secretaries, ds };
}

/** The scene's booking invariants, read from Postgres: no slot booked twice, no half-written booking. */
export async function bookingIntegrity(ds: DataSource, practiceId: string) {
  const [row] = await ds.query(
    `SELECT
       (SELECT count(*)::int FROM (SELECT slot_id FROM booking b JOIN slot s ON s.id = b.slot_id
          WHERE s.practice_id = $1 AND b.status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1) d) AS "doubleBooked",
       (SELECT count(*)::int FROM booking b JOIN slot s ON s.id = b.slot_id
          WHERE s.practice_id = $1 AND b.status <> 'cancelled' AND s.status <> 'booked') AS "bookingWithoutBookedSlot",
       (SELECT count(*)::int FROM slot s WHERE s.practice_id = $1 AND s.status = 'booked'
          AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = s.id AND b.status <> 'cancelled')) AS "bookedSlotWithoutBooking",
       (SELECT count(*)::int FROM booking b JOIN slot s ON s.id = b.slot_id
          WHERE s.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.booking_id = b.id)) AS "bookingWithoutNotification"`,
    [practiceId],
  );
  return row as { doubleBooked: number; bookingWithoutBookedSlot: number; bookedSlotWithoutBooking: number; bookingWithoutNotification: number };
}
