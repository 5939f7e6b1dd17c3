export const PROFESSIONS = ['general_practitioner', 'pediatrician', 'nurse', 'midwife', 'physiotherapist', 'pharmacist', 'dentist'] as const;
export type Profession = (typeof PROFESSIONS)[number];
