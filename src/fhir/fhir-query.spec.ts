import { FhirError } from './fhir-errors';
import { parseFhirDateRange, parseSlotSearch, rawQueryParams } from './fhir-query';
import { parisInstant, prune } from './fhir-resources';

const iso = (v: string) => {
  const r = parseFhirDateRange(v);
  return r && [r.start.toUTC().toISO(), r.end.toUTC().toISO()];
};

describe('FHIR dates as the SAS and the ANS kit send them', () => {
  it('reads an offset as given, and no offset as Paris time', () => {
    expect(iso('2024-06-12T16:20:00.000+02:00')).toEqual(['2024-06-12T14:20:00.000Z', '2024-06-12T14:20:00.001Z']);
    expect(iso('2026-11-30T10:00:00.000')).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T09:00:00.001Z']);
    expect(iso('2021-11-04T14:19:35.760+00:00')).toEqual(['2021-11-04T14:19:35.760Z', '2021-11-04T14:19:35.761Z']);
    expect(iso('2026-11-30T10:00:00Z')).toEqual(['2026-11-30T10:00:00.000Z', '2026-11-30T10:00:01.000Z']);
  });

  it('reads a space where the offset’s plus sign was (a form decoder’s doing)', () => {
    expect(iso('2024-06-12T16:20:00.000 02:00')).toEqual(iso('2024-06-12T16:20:00.000+02:00'));
  });

  it('covers a whole period at a coarser precision (le2026-12-02 is up to the end of that Paris day)', () => {
    expect(iso('2026-12-02')).toEqual(['2026-12-01T23:00:00.000Z', '2026-12-02T23:00:00.000Z']);
    expect(iso('2026-12-02T23:59:59')).toEqual(['2026-12-02T22:59:59.000Z', '2026-12-02T23:00:00.000Z']);
  });

  it('reads Paris time across the DST Sundays', () => {
    // Spring: 03:30 exists at +02:00; the day before, 03:30 is +01:00.
    expect(iso('2026-03-29T03:30:00.000')?.[0]).toBe('2026-03-29T01:30:00.000Z');
    expect(iso('2026-03-28T03:30:00.000')?.[0]).toBe('2026-03-28T02:30:00.000Z');
    // Autumn: the day has 25 hours.
    const day = parseFhirDateRange('2026-10-25')!;
    expect(day.end.diff(day.start, 'hours').hours).toBe(25);
    expect(parisInstant(new Date('2026-03-29T01:30:00Z'))).toBe('2026-03-29T03:30:00.000+02:00');
    expect(parisInstant(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00.000+02:00');
    expect(parisInstant(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00.000+01:00');
  });

  it('refuses what is not a date', () => {
    for (const v of ['2026-02-30', '2026-13-01', '2026-11-30T25:00:00', 'demain', '2026-11-30T10:00:00.000+2', '', '2026-11-30T10:00:00.000+02:00:00']) expect(parseFhirDateRange(v)).toBeNull();
  });
});

describe('the INT_R04 query string', () => {
  const params = (q: string) => rawQueryParams(`/fhir/Slot?${q}`);
  const base = 'start=ge2026-11-30T10:00:00.000&start=le2026-12-02T23:59:59.000&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|810002909371&status=free';

  it('keeps a raw plus sign a plus sign, and decodes %7C', () => {
    expect(params('start=ge2024-06-12T16:20:00.000+02:00&x=a%7Cb')).toEqual([['start', 'ge2024-06-12T16:20:00.000+02:00'], ['x', 'a|b']]);
  });

  it('reads the window, the RPPS and the includes', () => {
    const s = parseSlotSearch(params(`_include=Slot:schedule&_include:iterate=Schedule:actor&${base}&_count=1000`));
    expect(s.rpps).toEqual(['10002909371']);
    expect(s.from.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(s.to.toISOString()).toBe('2026-12-02T22:59:59.001Z');
    expect(s.includes).toEqual({ schedule: true, actors: true, healthcareService: false, organization: false });
  });

  it('finds nobody for an ADELI or an unknown form, without an error', () => {
    expect(parseSlotSearch(params(base.replace('810002909371', '0123456789'))).rpps).toEqual([]);
  });

  const refused = (q: string) => {
    try {
      parseSlotSearch(params(q));
    } catch (e) {
      return e instanceof FhirError ? e.status : 500;
    }
    return 200;
  };

  it('refuses a malformed or incomplete search with 400', () => {
    expect(refused(base)).toBe(200);
    expect(refused(base.replace('start=ge2026-11-30T10:00:00.000&', ''))).toBe(400);
    expect(refused(base.replace('ge2026-11-30', 'gt2026-11-30'))).toBe(400);
    expect(refused(base.replace('ge2026-11-30', 'ge2026-02-30'))).toBe(400);
    expect(refused(base.replace('le2026-12-02', 'le2026-11-29'))).toBe(400);
    expect(refused(base.replace('le2026-12-02', 'le2027-12-02'))).toBe(400);
    expect(refused(base.replace(/&schedule[^&]*/, ''))).toBe(400);
    expect(refused(base.replace('urn:oid:1.2.250.1.71.4.2.1|', 'urn:oid:9.9|'))).toBe(400);
    expect(refused(base.replace('status=free', 'status=busy'))).toBe(400);
    expect(refused(`${base}&start=ge2026-11-30T11:00:00.000`)).toBe(400);
    const many = Array.from({ length: 26 }, (_, i) => `8100029093${String(i).padStart(2, '0')}`).join(',');
    expect(refused(base.replace('urn:oid:1.2.250.1.71.4.2.1|810002909371', many))).toBe(400);
    expect(() => rawQueryParams('/fhir/Slot?start=ge%E0%A4%A')).toThrow(FhirError);
  });
});

describe('prune', () => {
  it('leaves out every empty element, however deep', () => {
    expect(prune({ a: '', b: [], c: {}, d: null, e: undefined, f: [{ g: '' }, { h: 0 }], i: { j: { k: [] } }, l: false })).toEqual({ f: [{ h: 0 }], l: false });
  });
});
