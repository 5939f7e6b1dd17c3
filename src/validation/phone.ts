import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A phone typed the French way ("06 12 34 56 78") or internationally, as E.164; null when not a real number. */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input, 'FR');
  return parsed && parsed.isValid() ? parsed.number : null;
}
