import { Account, Harness, isolatedPlace, patient } from '../support/harness';

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
