export const ROLES = ['admin', 'coordinator', 'gp', 'secretary', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in user or a machine client's API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  role: Role;
  practiceId: string | null;
  practitionerId: string | null;
}

/** Coordinators and admins act for the whole CPTS. */
export const isCoordination = (p: Principal) => p.role === 'admin' || p.role === 'coordinator';

/** Who acted, as recorded on a row (booked_by_*, created_by_*). */
export interface ActingSide {
  actorId: string | null;
  role: string;
  practiceId: string | null;
}

/**
 * Whether `p` belongs to the side that acted: the same account or API key, any regulator for the
 * regulation, or any secretary of the same practice.
 */
export function isSameSide(p: Principal, side: ActingSide): boolean {
  if (side.actorId === p.id) return true;
  if (p.role === 'regulator' && side.role === 'regulator') return true;
  return p.role === 'secretary' && !!p.practiceId && side.practiceId === p.practiceId;
}
