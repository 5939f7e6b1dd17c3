import { CountryCode } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { phoneRegionOf } from '../validation/phone';

/** A CPTS's phone region by its id: its communes change rarely; five minutes of memory. */
const regions = new LRUCache<string, CountryCode>({ max: 2000, ttl: 5 * 60_000 });

/**
 * The region a phone typed the French way is read in first, for a member of this CPTS: the
 * overseas department of its communes, else mainland France (and mainland France without a CPTS).
 */
export async function communityPhoneRegion(dataSource: DataSource, communityId: string | null | undefined): Promise<CountryCode> {
  if (!communityId) return 'FR';
  const known = regions.get(communityId);
  if (known) return known;
  const [row] = await dataSource.query(`SELECT commune_codes FROM community WHERE id = $1`, [communityId]);
  const region = phoneRegionOf(row?.commune_codes);
  regions.set(communityId, region);
  return region;
}
