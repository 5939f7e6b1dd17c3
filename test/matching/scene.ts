import { DataSource } from 'typeorm';
import { Account, Harness, patient, remotePlace } from '../support/harness';

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

/** A remote practice with `gps` GPs who can publish, and a secretary of another practice who files requests. */
export async function matchingScene(h: Harness, gps = 1) {
  const place = await isolatedPlace(h);
  const communityId = await h.community();
  const practiceId = (await h.practice(communityId, { location: place })).id;
  const practitioners: Array<{ id: string; gp: Account }> = [];
  for (let i = 0; i < gps; i++) {
    const id = (await h.practitioner(practiceId)).id;
    practitioners.push({ id, gp: await h.account('gp', { practitionerId: id }) });
  }
  const otherPractice = (await h.practice(communityId)).id;
  const secretary = await h.account('secretary', { practiceId: otherPractice });
  /** POST /requests for a patient near the practice; answers the 202 body. */
  const file = async (over: Record<string, unknown> = {}) => {
    const res = await h
      .as(secretary)
      .post('/requests')
      .send({ patient: patient({ hasReferringGp: true }), location: place, maxDistanceKm: 3, ...over })
      .expect(202);
    return res.body as { id: string; status: string; deadline: string };
  };
  const get = async (id: string) => (await h.as(secretary).get(`/requests/${id}`).expect(200)).body;
  /** GET each request; printed (when a wait fails) as status/attempts of each, short enough to read. */
  const getAll = async (ids: string[]) => {
    const rs: any[] = await Promise.all(ids.map(get));
    return Object.assign(rs, { toJSON: () => rs.map((r) => `${r.status}/${r.attempts}`).join(' ') });
  };
  return { place, communityId, practiceId, practitioners, secretary, file, get, getAll };
}
