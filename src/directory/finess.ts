import { luhnValid, withLuhnKey } from './luhn';

/**
 * FINESS number of an establishment (a CPTS is category 604): 9 digits, the last a Luhn key over
 * the first eight. The SAS carries it as `1` + FINESS (`^1[0-9]{9}$`), so digits only.
 */
export const isValidFiness = (value: string): boolean => /^\d{9}$/.test(value) && luhnValid(value);

/** Appends the Luhn key to an 8-digit prefix (demo data and tests). */
export const withFinessKey = (prefix8: string): string => withLuhnKey(prefix8);
