import { Principal } from './roles';

/** A condition to AND into a statement's WHERE, and its parameters (numbered from the `first` given). */
export interface Scope {
  sql: string;
  params: unknown[];
}

const param = (first: number) => (i: number) => `$${first + i}`;

/**
 * The parameters of several scopes of one principal numbered from the same `first`: each role's
 * scopes take the same parameters in the same order (or none), so the longest list serves them all.
 */
export function sharedParams(...scopes: Scope[]): unknown[] {
  return scopes.reduce((all, s) => (s.params.length > all.length ? s.params : all), [] as unknown[]);
}

/**
 * The bookings a caller may see or act on, for a statement where `b` is the booking, `s` its slot
 * and `p` the slot's practice: an admin every booking; a coordinator those on their CPTS's slots;
 * the regulation what the regulation booked (by hand or through its requests); a GP those on their
 * own slots; a secretary those their practice made or receives (and their own). Anything outside
 * is, for that caller, a booking that does not exist (404).
 */
export function bookingScope(p: Principal, first: number): Scope {
  const $ = param(first);
  switch (p.role) {
    case 'admin':
      return { sql: 'TRUE', params: [] };
    case 'coordinator':
      return { sql: `p.community_id = ${$(0)}::uuid`, params: [p.communityId] };
    case 'regulator':
      return { sql: `b.booked_by_role = 'regulator'`, params: [] };
    case 'gp':
      return { sql: `s.practitioner_id = ${$(0)}::uuid`, params: [p.practitionerId] };
    case 'secretary':
      return {
        sql: `(b.booked_by_practice_id = ${$(0)}::uuid OR s.practice_id = ${$(0)}::uuid OR coalesce(b.booked_by_user_id, b.booked_by_api_key_id) = ${$(1)}::uuid)`,
        params: [p.practiceId, p.id],
      };
  }
}

/** The receiving side of a booking (who records the outcome): the GP of the slot, or a secretary of its practice. */
export function receivingScope(p: Principal, first: number): Scope {
  const $ = param(first);
  if (p.role === 'gp') return { sql: `s.practitioner_id = ${$(0)}::uuid`, params: [p.practitionerId] };
  if (p.role === 'secretary') return { sql: `s.practice_id = ${$(0)}::uuid`, params: [p.practiceId] };
  return { sql: 'FALSE', params: [] };
}

/**
 * The side that filed a request `r` (it may cancel the request and the booking it got, wherever that
 * booking is): the same account, a secretary of the same practice, the regulation for the
 * regulation's, the coordination of the filer's CPTS, an admin.
 */
export function filingScope(p: Principal, first: number): Scope {
  const $ = param(first);
  switch (p.role) {
    case 'admin':
      return { sql: 'TRUE', params: [] };
    case 'coordinator':
      return { sql: `r.created_by_community_id = ${$(0)}::uuid`, params: [p.communityId] };
    case 'regulator':
      return { sql: `r.created_by_role = 'regulator'`, params: [] };
    case 'secretary':
      return { sql: `(r.created_by_practice_id = ${$(0)}::uuid OR coalesce(r.created_by_user_id, r.created_by_api_key_id) = ${$(1)}::uuid)`, params: [p.practiceId, p.id] };
    case 'gp':
      return { sql: 'FALSE', params: [] };
  }
}

/**
 * The SNP requests a caller may see or act on, for a statement where `r` is the request: the
 * filing side's (filingScope), and for a coordinator also the regulation's located in its
 * communes or matched to its slots. (Every scope of this file numbers a role's parameters alike
 * from `first`: several may share them.)
 */
export function requestScope(p: Principal, first: number): Scope {
  if (p.role !== 'coordinator') return filingScope(p, first);
  const $ = param(first);
  const filed = filingScope(p, first);
  return {
    sql: `(${filed.sql}
           OR (r.created_by_role = 'regulator' AND (
                r.location_commune_code = ANY (SELECT unnest(commune_codes) FROM community WHERE id = ${$(0)}::uuid)
                OR EXISTS (SELECT 1 FROM booking rb JOIN slot rs ON rs.id = rb.slot_id JOIN practice rp ON rp.id = rs.practice_id
                            WHERE rb.id = r.booking_id AND rp.community_id = ${$(0)}::uuid))))`,
    params: filed.params,
  };
}

/**
 * The messages a caller may read, for a statement where `n` is the notification: those of the
 * bookings and requests in the caller's scope.
 */
export function notificationScope(p: Principal, first: number): Scope {
  if (p.role === 'admin') return { sql: 'TRUE', params: [] };
  const bookings = bookingScope(p, first);
  const requests = requestScope(p, first);
  return {
    sql: `((n.booking_id IS NOT NULL AND EXISTS (SELECT 1 FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id
                                                  WHERE b.id = n.booking_id AND ${bookings.sql}))
           OR (n.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM snp_request r WHERE r.id = n.request_id AND ${requests.sql})))`,
    params: sharedParams(bookings, requests),
  };
}
