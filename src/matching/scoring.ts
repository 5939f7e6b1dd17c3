/**
 * How the matching engine chooses, as pure functions (README: "Matching rule").
 *
 * Between requests: the most urgent first, then the oldest. Urgency counts the priority flags of
 * the SNP mission: no médecin traitant, a chronic condition (ALD), over 70, a child under 6.
 *
 * Between slots for one request: the lowest cost
 *   cost = minutes from the window start (or now) to the slot's start
 *        + KM_WEIGHT_MINUTES × km (the search rule)
 *        + FAIRNESS_MINUTES × slots of that practitioner already booked on that day
 * so that of two equivalent slots, the GP who already took fewer SNP patients that day gets the
 * patient; a much sooner or nearer slot still wins. Hard constraints (window, modality, distance,
 * age) are never traded against cost: a candidate breaking one is dropped.
 */
import { KM_WEIGHT_MINUTES } from '../slots/ranking';

export const FAIRNESS_MINUTES = 20;

export interface PriorityFlags {
  noReferringGp: boolean;
  chronicCondition: boolean;
  over70: boolean;
  childUnder6: boolean;
}

export function priorityFlags(input: { hasReferringGp?: boolean | null; chronicCondition?: boolean | null; ageMonths: number }): PriorityFlags {
  return {
    noReferringGp: input.hasReferringGp === false,
    chronicCondition: input.chronicCondition === true,
    over70: input.ageMonths >= 70 * 12,
    childUnder6: input.ageMonths < 6 * 12,
  };
}

export function urgency(flags: PriorityFlags): number {
  return Number(flags.noReferringGp) + Number(flags.chronicCondition) + Number(flags.over70) + Number(flags.childUnder6);
}

export interface MatchConstraints {
  notBefore: Date;
  notAfter: Date;
  modalities: string[];
  maxDistanceKm: number;
  patientAgeMonths: number;
}

export interface Candidate {
  slotId: string;
  practitionerId: string;
  start: Date;
  modality: string;
  distanceKm: number;
  minPatientAgeMonths: number;
  /** Slots of this practitioner already booked on the candidate's day. */
  bookedThatDay: number;
}

export function fits(c: Candidate, r: MatchConstraints, now: Date): boolean {
  return (
    c.start >= r.notBefore &&
    c.start < r.notAfter &&
    c.start > now &&
    r.modalities.includes(c.modality) &&
    c.distanceKm <= r.maxDistanceKm &&
    c.minPatientAgeMonths <= r.patientAgeMonths
  );
}

export function matchCost(c: Candidate, r: MatchConstraints, now: Date): number {
  const from = Math.max(r.notBefore.getTime(), now.getTime());
  return (c.start.getTime() - from) / 60_000 + KM_WEIGHT_MINUTES * c.distanceKm + FAIRNESS_MINUTES * c.bookedThatDay;
}

/** The candidates that fit, best first; ties by earlier start, then nearer, then slot id. */
export function rankCandidates(candidates: Candidate[], r: MatchConstraints, now: Date): Candidate[] {
  return candidates
    .filter((c) => fits(c, r, now))
    .map((c) => ({ c, cost: matchCost(c, r, now) }))
    .sort((a, b) => a.cost - b.cost || a.c.start.getTime() - b.c.start.getTime() || a.c.distanceKm - b.c.distanceKm || a.c.slotId.localeCompare(b.c.slotId))
    .map((x) => x.c);
}
