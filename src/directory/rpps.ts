import { luhnValid, withLuhnKey } from './luhn';

/** RPPS: 11 digits, the last a Luhn check digit over the first ten. */
export const isValidRpps = (value: string): boolean => /^\d{11}$/.test(value) && luhnValid(value);

/** Appends the Luhn check digit to a 10-digit prefix (demo data and tests). */
export const withRppsCheckDigit = (prefix10: string): string => withLuhnKey(prefix10);
