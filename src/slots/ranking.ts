/**
 * Search ranking ("sooner and nearer together"), also documented in the README:
 *   cost = minutes from the start of the search window (or now, if later) to the slot's start
 *        + KM_WEIGHT_MINUTES × distance in km between the place searched and the practice
 * lowest cost first; ties by earlier start, then shorter distance, then slot id.
 * With KM_WEIGHT_MINUTES = 3, a slot 10 km further away must start at least 30 minutes
 * earlier to rank ahead: roughly the extra driving time, counted twice for a patient who is unwell.
 */
export const KM_WEIGHT_MINUTES = 3;
export const DEFAULT_MAX_DISTANCE_KM = 30;
export const DEFAULT_LIMIT = 10;
export const DEFAULT_WINDOW_HOURS = 24;
export const MAX_WINDOW_DAYS = 8;

export function rankingCost(minutesUntilStart: number, distanceKm: number): number {
  return minutesUntilStart + KM_WEIGHT_MINUTES * distanceKm;
}
