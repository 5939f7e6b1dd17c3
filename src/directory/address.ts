/** A practice's address as the SAS platform carries it (FHIR Location.address). */
export interface AddressParts {
  line: string;
  postcode: string | null;
  city: string;
}

/** « 12 rue de la République, 28200 Châteaudun »: the street, then a postcode and a city at the end. */
const TRAILING_POSTCODE_CITY = /^(.*?)[\s,]+(\d{5})\s+([^\d,][^,]*)$/;

/**
 * The line, postcode and city of a practice: those typed, else the postcode and city that end the
 * address when it has them, else the commune's first postcode and its name. The line is the
 * address without that trailing postcode and city.
 */
export function addressParts(address: string, typed: { postcode?: string; city?: string }, commune: { name: string; postcodes: string[] }): AddressParts {
  const trimmed = address.trim();
  const m = TRAILING_POSTCODE_CITY.exec(trimmed);
  const line = (m ? m[1] : trimmed).replace(/[\s,]+$/, '') || trimmed;
  return {
    line,
    postcode: typed.postcode ?? m?.[2] ?? [...commune.postcodes].sort()[0] ?? null,
    city: typed.city ?? m?.[3].trim() ?? commune.name,
  };
}
