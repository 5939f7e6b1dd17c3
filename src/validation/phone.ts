import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

/** Recent answers: a booking's phone is parsed by validation, then again by the service. */
const recent = new LRUCache<string, { e164: string | null }>({ max: 512 });

/**
 * The French numbering plan's overseas prefixes, typed with the trunk 0 as in mainland France, and
 * the region whose country code they dial under (E.164): Réunion and Mayotte +262, Guadeloupe,
 * Saint-Barthélemy and Saint-Martin +590, Martinique +596, Guyane +594. Some of them (0596, 0269)
 * would also parse as mainland +33 numbers: the prefix decides, and a number of such a prefix that
 * its region does not allocate is no number (never a mainland one). Saint-Pierre-et-Miquelon and
 * the Pacific have no trunk 0: « 41 23 45 », « 87 12 34 56 ».
 */
const OVERSEAS_PREFIXES: Array<[RegExp, CountryCode]> = [
  [/^0(262|263|692|693)/, 'RE'],
  [/^0(269|639)/, 'YT'],
  [/^0(590|690|691)/, 'GP'],
  [/^0(596|696|697)/, 'MQ'],
  [/^0(594|694)/, 'GF'],
];

/** Every region a number typed the French way may belong to, after the mainland. */
const FRENCH_REGIONS: CountryCode[] = ['FR', 'RE', 'YT', 'GP', 'MQ', 'GF', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF'];

/** A commune's department (INSEE code) → the region of its phone numbers: the overseas ones, else mainland France. */
const DEPARTMENT_REGIONS: Record<string, CountryCode> = {
  '971': 'GP', '972': 'MQ', '973': 'GF', '974': 'RE', '975': 'PM', '976': 'YT', '977': 'BL', '978': 'MF', '986': 'WF', '987': 'PF', '988': 'NC',
};

/** The phone region of a CPTS from its communes: the first overseas one found, else mainland France. */
export function phoneRegionOf(communeCodes: string[] | null | undefined): CountryCode {
  for (const code of communeCodes ?? []) {
    const region = DEPARTMENT_REGIONS[code.slice(0, 3)];
    if (region) return region;
  }
  return 'FR';
}

/**
 * A phone typed the French way (« 06 12 34 56 78 », « 0692 12 34 56 », « 87 12 34 56 » in
 * Polynesia) or internationally (+…), as E.164; null when not a real number. An overseas prefix
 * decides its region; otherwise `region` (the CPTS's) first, then mainland France, then the other
 * French regions.
 */
export function toE164(input: string, region: CountryCode = 'FR'): string | null {
  const key = `${region}|${input}`;
  const known = recent.get(key);
  if (known) return known.e164;
  const digits = input.replace(/[\s.\-()/]/g, '');
  const overseas = OVERSEAS_PREFIXES.find(([prefix]) => prefix.test(digits))?.[1];
  let e164: string | null = null;
  for (const r of overseas ? [overseas] : new Set([region, ...FRENCH_REGIONS])) {
    const parsed = parsePhoneNumberFromString(input, r);
    if (parsed?.isValid()) {
      e164 = parsed.number;
      break;
    }
  }
  recent.set(key, { e164 });
  return e164;
}
