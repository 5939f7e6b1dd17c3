export const ROLES = ['admin', 'coordinator', 'gp', 'secretary', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in user or a machine client's API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  role: Role;
  practiceId: string | null;
  practitionerId: string | null;
  /** The CPTS the account acts for (coordinators, GPs, secretaries); null for admins and regulators. */
  communityId: string | null;
  /** The access token's id (sign-out refuses it from then on) and its expiry, epoch seconds. */
  tokenId?: string;
  tokenExpiresAt?: number;
  /** The client's address (from X-Forwarded-For only behind TRUSTED_PROXIES), for the audit trail. */
  ip?: string;
}

/** Coordinators and admins act for the whole CPTS. */
export const isCoordination = (p: Principal) => p.role === 'admin' || p.role === 'coordinator';
