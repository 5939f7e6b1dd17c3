export const MODALITIES = ['in_person', 'teleconsultation', 'home_visit'] as const;
export type Modality = (typeof MODALITIES)[number];
export const SLOT_STATUSES = ['free', 'held', 'booked', 'cancelled'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];
