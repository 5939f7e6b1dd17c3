import { Harness, PLACES } from '../support/harness';

/** The coordination changes its CPTS's practices and practitioners (never another CPTS's); a new address places a practice again. */
describe('members: editing practices and practitioners', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('lets a coordination change its practices and practitioners, and nobody else’s', async () => {
    const communityId = await h.community();
    const coordinator = await h.account('coordinator', { communityId });
    const practice = await h.practice(communityId, { location: { lat: 48.07, lon: 1.34 } });
    const practitionerId = (await h.practitioner(practice.id)).id;

    const renamed = (await h.as(coordinator).patch(`/practices/${practice.id}`).send({ name: 'Maison de santé du Loir', phone: '02 37 98 76 54' }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'Maison de santé du Loir', phone: '+33237987654', location: { lat: 48.07, lon: 1.34 } });
    // A new address in another commune: placed again (no geocoder in tests: the commune's centre).
    const moved = (await h.as(coordinator).patch(`/practices/${practice.id}`).send({ address: '3 rue de Chartres, 28800 Bonneval', communeCode: PLACES.bonneval.communeCode }).expect(200)).body;
    expect(moved).toMatchObject({ communeCode: '28051', location: { lat: PLACES.bonneval.lat, lon: PLACES.bonneval.lon } });
    await h.as(coordinator).patch(`/practices/${practice.id}`).send({ phone: '12' }).expect(400);

    const gp = (await h.as(coordinator).patch(`/practitioners/${practitionerId}`).send({ lastName: 'Martin-Durand', minPatientAgeMonths: 72, modalities: ['in_person', 'home_visit'] }).expect(200)).body;
    expect(gp).toMatchObject({ lastName: 'Martin-Durand', minPatientAgeMonths: 72, modalities: ['in_person', 'home_visit'] });
    // Neither the RPPS nor the practice change here.
    await h.as(coordinator).patch(`/practitioners/${practitionerId}`).send({ rpps: '10003456784' }).expect(400);

    const elsewhere = await h.account('coordinator');
    await h.as(elsewhere).patch(`/practices/${practice.id}`).send({ name: 'Pris' }).expect(404);
    await h.as(elsewhere).patch(`/practitioners/${practitionerId}`).send({ lastName: 'Pris' }).expect(404);
    const secretary = await h.account('secretary', { practiceId: practice.id });
    await h.as(secretary).patch(`/practices/${practice.id}`).send({ name: 'Pris' }).expect(403);
    await h.as(h.admin).patch(`/practitioners/${practitionerId}`).send({ firstName: 'Claire-Anne' }).expect(200);
    expect((await h.as(coordinator).get(`/practitioners?id=${practitionerId}`).expect(200)).body.practitioners[0]).toMatchObject({ firstName: 'Claire-Anne', lastName: 'Martin-Durand' });
  });
});
