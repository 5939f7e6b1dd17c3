export const MODALITIES = ['in_person', 'teleconsultation', 'home_visit'] as const;
export type Modality = (typeof MODALITIES)[number];
export const SLOT_STATUSES = ['free', 'held', 'booked', 'cancelled'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/**
 * Who may see and book a slot: `cpts`, the member practices of the slot's own CPTS; `regulation`,
 * the 15 / SAS. Never empty; both by default.
 */
export const AUDIENCES = ['cpts', 'regulation'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const DEFAULT_AUDIENCES: Audience[] = ['cpts', 'regulation'];
