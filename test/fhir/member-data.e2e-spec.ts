import { Harness, unique } from '../support/harness';
import { uniqueFiness } from './scene';

/** What the SAS needs to know of our members: a CPTS's FINESS, a practice's address in parts, a GP's specialty. */
describe('member data for the SAS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  const community = (finess?: string) => h.as(h.admin).post('/communities').send({ name: unique('CPTS'), communeCodes: ['28088'], ...(finess === undefined ? {} : { finess }) });

  it('takes a CPTS’s FINESS with a right check key, once', async () => {
    const finess = uniqueFiness();
    const created = await community(finess).expect(201);
    expect(created.body.finess).toBe(finess);
    for (const bad of [`${finess.slice(0, 8)}${(Number(finess[8]) + 1) % 10}`, '2A0000000', '12345', 950047225]) {
      const res = await community(bad as string).expect(400);
      expect(res.body.details).toEqual([{ field: 'finess', messages: ['finess doit être un numéro FINESS de 9 chiffres dont une clé de contrôle (Luhn) valide'] }]);
    }
    const taken = await community(finess).expect(409);
    expect(taken.body).toMatchObject({ error: 'finess_taken', message: `Le numéro FINESS ${finess} est déjà celui d’une autre CPTS` });
    // Given later to a CPTS created without: same rules.
    const later = (await community().expect(201)).body;
    expect(later.finess).toBeNull();
    await h.as(h.admin).patch(`/communities/${later.id}`).send({ finess }).expect(409);
    const other = uniqueFiness();
    expect((await h.as(h.admin).patch(`/communities/${later.id}`).send({ finess: other }).expect(200)).body.finess).toBe(other);
    await h.as(h.admin).patch('/communities/00000000-0000-0000-0000-000000000000').send({ finess: uniqueFiness() }).expect(404);
  });

  it('keeps a practice’s address as line, postcode and city (from the address, else the commune)', async () => {
    const communityId = (await community(uniqueFiness()).expect(201)).body.id;
    const practice = (body: Record<string, unknown>) =>
      h.as(h.admin).post('/practices').send({ communityId, name: unique('Cabinet'), communeCode: '28088', phone: '02 37 45 12 34', ...body }).expect(201);
    expect((await practice({ address: '12 rue de la République, 28200 Châteaudun' })).body).toMatchObject({ addressLine: '12 rue de la République', postcode: '28200', city: 'Châteaudun', phone: '+33237451234' });
    expect((await practice({ address: '3 place du 18 Octobre' })).body).toMatchObject({ addressLine: '3 place du 18 Octobre', postcode: '28200', city: 'Châteaudun' });
    expect((await practice({ address: 'Lieu-dit La Brosse', postcode: '28220', city: 'Cloyes-les-Trois-Rivières' })).body).toMatchObject({ postcode: '28220', city: 'Cloyes-les-Trois-Rivières' });
    const bad = await h.as(h.admin).post('/practices').send({ communityId, name: 'x', address: 'x', communeCode: '28088', phone: '0237451234', postcode: '282' }).expect(400);
    expect(bad.body.details[0].field).toBe('postcode');
  });

  it('gives a GP the specialty SM54 (médecine générale), a paediatrician SM40, unless told', async () => {
    const communityId = (await community(uniqueFiness()).expect(201)).body.id;
    const practiceId = (await h.practice(communityId)).id;
    expect((await h.practitioner(practiceId)).specialty).toBe('SM54');
    expect((await h.practitioner(practiceId, { profession: 'pediatrician' })).specialty).toBe('SM40');
    expect((await h.practitioner(practiceId, { profession: 'nurse' })).specialty).toBeNull();
    expect((await h.practitioner(practiceId, { specialty: 'SM26' })).specialty).toBe('SM26');
    await h.as(h.admin).post('/practitioners').send({ rpps: '10003456784', firstName: 'A', lastName: 'B', profession: 'general_practitioner', practiceId, specialty: 'généraliste' }).expect(400);
  });
});
