/**
 * Domain event: slots became bookable (published, generated from a template, freed by a
 * cancellation or an expired hold). The matching engine listens so that waiting requests get them
 * at once. Carries ids only.
 */
export const SLOTS_AVAILABLE = 'slots.available';

export interface SlotsAvailableEvent {
  slotIds: string[];
}
