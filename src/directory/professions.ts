export const PROFESSIONS = ['general_practitioner', 'pediatrician', 'nurse', 'midwife', 'physiotherapist', 'pharmacist', 'dentist'] as const;
export type Profession = (typeof PROFESSIONS)[number];

/** Ordinal specialty (TRE_R38) of a profession when none is given: médecine générale, pédiatrie. */
export const DEFAULT_SPECIALTY: Partial<Record<Profession, string>> = { general_practitioner: 'SM54', pediatrician: 'SM40' };
