import { Candidate, FAIRNESS_MINUTES, fits, MatchConstraints, priorityFlags, rankCandidates, urgency } from './scoring';

const now = new Date('2026-11-23T08:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const request: MatchConstraints = { notBefore: now, notAfter: at(24 * 60), modalities: ['in_person'], maxDistanceKm: 30, patientAgeMonths: 8 };
const candidate = (over: Partial<Candidate>): Candidate => ({
  slotId: 's', practitionerId: 'p', start: at(60), modality: 'in_person', distanceKm: 5, minPatientAgeMonths: 0, bookedThatDay: 0, ...over,
});

describe('priority between requests', () => {
  it('counts the SNP priority flags', () => {
    expect(urgency(priorityFlags({ hasReferringGp: true, ageMonths: 30 * 12 }))).toBe(0);
    expect(urgency(priorityFlags({ hasReferringGp: false, ageMonths: 30 * 12 }))).toBe(1);
    expect(urgency(priorityFlags({ hasReferringGp: null, chronicCondition: true, ageMonths: 75 * 12 }))).toBe(2);
    expect(urgency(priorityFlags({ hasReferringGp: false, ageMonths: 8 }))).toBe(2);
  });

  it('an unknown médecin traitant is not a priority, a known absence is', () => {
    expect(priorityFlags({ hasReferringGp: undefined, ageMonths: 400 }).noReferringGp).toBe(false);
    expect(priorityFlags({ hasReferringGp: false, ageMonths: 400 }).noReferringGp).toBe(true);
  });

  it('places the age limits at 6 and 70 years', () => {
    expect(priorityFlags({ ageMonths: 6 * 12 - 1 }).childUnder6).toBe(true);
    expect(priorityFlags({ ageMonths: 6 * 12 }).childUnder6).toBe(false);
    expect(priorityFlags({ ageMonths: 70 * 12 - 1 }).over70).toBe(false);
    expect(priorityFlags({ ageMonths: 70 * 12 }).over70).toBe(true);
  });
});

describe('hard constraints are never broken', () => {
  it.each([
    ['before the window', { start: at(-10) }],
    ['at the window end', { start: at(24 * 60) }],
    ['already started', { start: new Date(now.getTime() - 1) }],
    ['another modality', { modality: 'home_visit' }],
    ['too far', { distanceKm: 30.01 }],
    ['patient too young', { minPatientAgeMonths: 12 }],
  ])('drops a slot %s', (_, over) => {
    expect(fits(candidate(over), request, now)).toBe(false);
    expect(rankCandidates([candidate(over)], request, now)).toEqual([]);
  });

  it('keeps a slot exactly at the distance limit and at the age limit', () => {
    expect(fits(candidate({ distanceKm: 30, minPatientAgeMonths: 8 }), request, now)).toBe(true);
  });
});

describe('ranking slots for one request', () => {
  it('prefers sooner and nearer, as search does', () => {
    const ranked = rankCandidates(
      [candidate({ slotId: 'late', start: at(180) }), candidate({ slotId: 'far', distanceKm: 25 }), candidate({ slotId: 'best' })],
      request,
      now,
    );
    expect(ranked.map((c) => c.slotId)).toEqual(['best', 'far', 'late']);
  });

  it('spreads patients: of two equivalent slots, the GP with fewer patients that day', () => {
    const busy = candidate({ slotId: 'busy', practitionerId: 'volunteer', bookedThatDay: 3 });
    const idle = candidate({ slotId: 'idle', practitionerId: 'colleague', start: at(75), bookedThatDay: 0 });
    expect(rankCandidates([busy, idle], request, now)[0].slotId).toBe('idle');
  });

  it('does not send a patient much later for fairness alone', () => {
    const busy = candidate({ slotId: 'busy', bookedThatDay: 1 });
    const muchLater = candidate({ slotId: 'later', start: at(60 + FAIRNESS_MINUTES * 3) });
    expect(rankCandidates([busy, muchLater], request, now)[0].slotId).toBe('busy');
  });

  it('counts minutes from the window start when it is later than now', () => {
    const tomorrow = { ...request, notBefore: at(600), notAfter: at(1200) };
    const ranked = rankCandidates([candidate({ slotId: 'a', start: at(700), distanceKm: 1 }), candidate({ slotId: 'b', start: at(610), distanceKm: 20 })], tomorrow, now);
    expect(ranked.map((c) => c.slotId)).toEqual(['b', 'a']);
  });
});
