import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

/** Recent answers: a booking's phone is parsed by validation, then again by the service. */
const recent = new LRUCache<string, { e164: string | null }>({ max: 256 });

/** A phone typed the French way ("06 12 34 56 78") or internationally, as E.164; null when not a real number. */
export function toE164(input: string): string | null {
  const known = recent.get(input);
  if (known) return known.e164;
  const parsed = parsePhoneNumberFromString(input, 'FR');
  const e164 = parsed && parsed.isValid() ? parsed.number : null;
  recent.set(input, { e164 });
  return e164;
}
