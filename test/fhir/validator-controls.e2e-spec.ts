import { readFileSync } from 'fs';
import { join } from 'path';
import { capabilityStatement, toFhirOrganization, toFhirPractitionerRole, toFhirSlot } from '../../src/fhir/fhir-resources';
import { emptyElements, fhirProblems } from '../support/fhir-validation';
import { sasBundleProblems } from '../support/sas-rules';

/**
 * The checks the FHIR stories rely on do catch what they claim to: the guide's own examples pass,
 * and resources broken on purpose fail (a validator that accepts everything would prove nothing).
 */
describe('the offline FHIR checks themselves', () => {
  const fixture = (f: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sas-ig-1.1.0', f), 'utf8'));
  const practitioner = {
    practitioner_id: 'p1', rpps: '10002909371', first_name: 'Claire', last_name: 'Martin', specialty: 'SM54', practice_id: '5c1e6c2e-1111-4111-8111-111111111111',
    address_line: '12 rue de la République', postcode: '28200', city: 'Châteaudun', phone: '+33237451234', lat: 48.07, lon: 1.33, community_id: 'c1',
  };
  const slot = { id: 's1', starts_at: new Date(Date.now() + 3600_000), ends_at: new Date(Date.now() + 4800_000), modality: 'in_person', audiences: ['cpts', 'regulation'], status: 'free' };

  it('accept the guide’s own regulator example and our resources', () => {
    expect(fhirProblems(fixture('Practitioner-ExamplePractitionerRegul1.json'))).toEqual([]);
    expect(fhirProblems(toFhirSlot(slot, practitioner, 'https://snp.example.fr'))).toEqual([]);
    expect(fhirProblems(toFhirPractitionerRole(practitioner))).toEqual([]);
    expect(fhirProblems(toFhirOrganization({ community_id: 'c1', community_name: 'CPTS du Dunois', finess: '950047225' }))).toEqual([]);
    expect(fhirProblems(capabilityStatement('https://snp.example.fr/fhir', '1.0.0', new Date().toISOString()))).toEqual([]);
  });

  it('refuse a FINESS the guide’s invariant rejects, a Slot without schedule, a Location without postcode', () => {
    expect(fhirProblems(toFhirOrganization({ community_id: 'c1', community_name: 'CPTS', finess: '2A0047225' })).join()).toMatch(/FINESS/);
    const noSchedule: any = toFhirSlot(slot, practitioner, 'https://snp.example.fr');
    delete noSchedule.schedule;
    expect(fhirProblems(noSchedule).join()).toMatch(/Slot.schedule/);
    expect(fhirProblems(toFhirPractitionerRole({ ...practitioner, postcode: null })).join()).toMatch(/postalCode/);
    expect(fhirProblems({ resourceType: 'Slot', status: 'libre' } as any).length).toBeGreaterThan(0);
  });

  it('refuse an empty element, a Z date, a missing include and a self link that is not the query', () => {
    expect(emptyElements({ a: { b: [] }, c: '' })).toEqual(['$.a.b', '$.c']);
    const s: any = toFhirSlot(slot, practitioner, 'https://snp.example.fr');
    s.start = slot.starts_at.toISOString();
    const bundle: any = {
      resourceType: 'Bundle', meta: { profile: ['https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator'] }, type: 'searchset', total: 1,
      link: [{ relation: 'self', url: 'https://snp.example.fr/fhir/Slot?status=free' }],
      entry: [{ fullUrl: 'https://snp.example.fr/fhir/Slot/s1', resource: s, search: { mode: 'match' } }, { fullUrl: 'https://snp.example.fr/fhir/Schedule/x', resource: { resourceType: 'Schedule', id: 'x', meta: { profile: ['http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur'] }, actor: [] }, search: { mode: 'include' } }],
    };
    const problems = sasBundleProblems(bundle, 'status=busy').join('\n');
    expect(problems).toMatch(/élément vide/);
    expect(problems).toMatch(/hors format SAS/);
    expect(problems).toMatch(/schedule Schedule\/p1 absent/);
    expect(problems).toMatch(/lien self/);
  });
});
