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
