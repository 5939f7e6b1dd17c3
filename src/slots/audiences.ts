import { Principal } from '../auth/roles';
import { Audience, AUDIENCES } from './slot-rules';

/**
 * Which slots a caller may see, hold and book, as the three parameters every statement takes:
 * the audience they belong to (null: every slot, an admin), their own practice (always sees its
 * own slots), and for `cpts` the CPTS they belong to (a slot's `cpts` audience is its own CPTS's
 * practices only). A regulator belongs to `regulation` whatever the CPTS; a secretary, a GP and a
 * coordinator to `cpts` of their own CPTS.
 */
export interface Viewer {
  audience: Audience | null;
  practiceId: string | null;
  communityId: string | null;
}

/** A CPTS account whose community is unknown sees no other practice's slot (never every CPTS's). */
const NO_COMMUNITY = '00000000-0000-0000-0000-000000000000';

export function viewerOf(p: Pick<Principal, 'role' | 'practiceId' | 'communityId'>): Viewer {
  switch (p.role) {
    case 'admin':
      return { audience: null, practiceId: null, communityId: null };
    case 'regulator':
      return { audience: 'regulation', practiceId: null, communityId: null };
    default:
      return { audience: 'cpts', practiceId: p.practiceId ?? null, communityId: p.communityId ?? NO_COMMUNITY };
  }
}

export const viewerParams = (v: Viewer): [string | null, string | null, string | null] => [v.audience, v.practiceId, v.communityId];

/**
 * The condition "slot `slot` is visible to the viewer" given the slot's community expression and
 * the viewer's three parameters (as placeholders, e.g. `$10`, `$11`, `$12`).
 */
export function visibleSlotSql(slot: string, community: string, audience: string, practice: string, communityParam: string): string {
  return `(${audience}::text IS NULL OR ${slot}.practice_id = ${practice}::uuid
           OR (${audience}::text = ANY (${slot}.audiences) AND (${communityParam}::uuid IS NULL OR ${community} = ${communityParam}::uuid)))`;
}

/** TRE_R314 (type de créneau) code of each audience, as the SAS reads them in Slot.meta.security. */
export const TRE_R314_CODES: Record<Audience, string> = { cpts: 'CPTS', regulation: 'SNP' };

/** Audiences in their canonical order (what is stored and answered). */
export const sortedAudiences = (a: readonly string[]): Audience[] => AUDIENCES.filter((x) => a.includes(x));
