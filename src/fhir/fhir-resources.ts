import type {
  Bundle, BundleEntry, CapabilityStatement, HealthcareService, Location, Organization, Practitioner, PractitionerRole, Resource, Schedule, Slot,
} from 'fhir/r4';
import { DateTime } from 'luxon';
import { sortedAudiences, TRE_R314_CODES } from '../slots/audiences';
import {
  ACT_CODE, CONSULTATION_TYPE, LOCATION_IDENTIFIER_TYPE, CPTS_CAPABILITY, CPTS_CATEGORY, FR_V2_0203, IDNPS_SYSTEM, IDNST_SYSTEM, IDNST_TYPE_1_1, IDNST_TYPE_1_2, PROFILES, SAS_SYSTEM,
  SLOT_SERVICE_TYPE_EXTENSION, STRUCTURE_CAPABILITY, TRE_R314, TRE_R38, TRE_R66, V2_0276,
} from './fhir-codes';

/**
 * Our rows as the SAS guide's resources: a translation, no second model. Ids are ours (uuids):
 * Slot = slot; Practitioner, PractitionerRole and Schedule = the practitioner (one place each);
 * HealthcareService and Organization = the CPTS. References are relative, the contained Location
 * is `#lieu`; empty elements are never sent (the guide forbids them).
 */

/** A slot as the façade's statements read it, with its practitioner, practice and CPTS. */
export interface SlotRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  modality: string;
  audiences: string[];
  /** Our status, an expired hold already read as free. */
  status: string;
}

export interface PractitionerRow {
  practitioner_id: string;
  rpps: string;
  first_name: string;
  last_name: string;
  specialty: string | null;
  practice_id: string;
  address_line: string;
  postcode: string | null;
  city: string;
  phone: string;
  lat: number;
  lon: number;
  community_id: string;
}

export interface CommunityRow {
  community_id: string;
  community_name: string;
  finess: string;
}

const ZONE = 'Europe/Paris';

/** Paris's offset by UTC hour (`+01:00`, in minutes too), as luxon gives it: it only ever changes on the hour. */
const parisOffsets = new Map<number, { minutes: number; text: string }>();

/**
 * `2026-11-30T16:40:00.000+01:00`: Paris time, milliseconds, a numeric offset (never `Z`), as the
 * SAS requires. The offset is luxon's, asked once per UTC hour (a search answers up to hundreds of
 * instants: luxon's zone formatting per instant was a tenth of the answer's cost, bench/README.md);
 * the local wall time is the instant shifted by it.
 */
export function parisInstant(d: Date): string {
  const ms = d.getTime();
  const hour = Math.floor(ms / 3_600_000);
  let offset = parisOffsets.get(hour);
  if (!offset) {
    if (parisOffsets.size >= 10_000) parisOffsets.clear();
    const at = DateTime.fromMillis(hour * 3_600_000, { zone: ZONE });
    offset = { minutes: at.offset, text: at.toFormat('ZZ') };
    parisOffsets.set(hour, offset);
  }
  return `${new Date(ms + offset.minutes * 60_000).toISOString().slice(0, 23)}${offset.text}`;
}

/** Our slot status → Slot.status: what the SAS is shown of a slot that is no longer free (reads only; the search answers free ones). */
const SLOT_STATUS: Record<string, Slot['status']> = { free: 'free', held: 'busy-tentative', booked: 'busy', cancelled: 'entered-in-error' };

/** The URL of a GP's agenda in our web page: where the SAS's link (Slot.comment, plus `origin=sas`) lands. */
export const agendaUrl = (publicBase: string, practitionerId: string): string => `${publicBase}/agenda/${practitionerId}`;

/** Built without empty elements (no prune walk: a search answers up to hundreds of them). */
export function toFhirSlot(s: SlotRow, p: PractitionerRow, publicBase: string): Slot {
  const free = s.status === 'free';
  return {
    resourceType: 'Slot',
    id: s.id,
    meta: {
      ...(free ? { profile: [PROFILES.slot] } : {}),
      security: sortedAudiences(s.audiences).map((a) => ({ system: TRE_R314, code: TRE_R314_CODES[a] })),
    },
    serviceType: [
      { coding: [{ system: ACT_CODE, code: CONSULTATION_TYPE[s.modality] }] },
      {
        extension: [{ url: SLOT_SERVICE_TYPE_EXTENSION, valueReference: { reference: `HealthcareService/${p.community_id}` } }],
        coding: [{ system: TRE_R66, code: CPTS_CATEGORY }],
      },
    ],
    ...(p.specialty ? { specialty: [{ coding: [{ system: TRE_R38, code: p.specialty }] }] } : {}),
    appointmentType: { coding: [{ system: V2_0276, code: 'ROUTINE' }] },
    schedule: { reference: `Schedule/${p.practitioner_id}` },
    status: SLOT_STATUS[s.status] ?? 'busy',
    start: parisInstant(s.starts_at),
    end: parisInstant(s.ends_at),
    comment: agendaUrl(publicBase, p.practitioner_id),
  };
}

export function toFhirSchedule(p: PractitionerRow): Schedule {
  return {
    resourceType: 'Schedule',
    id: p.practitioner_id,
    meta: { profile: [PROFILES.schedule] },
    actor: [{ reference: `Practitioner/${p.practitioner_id}` }, { reference: `PractitionerRole/${p.practitioner_id}` }],
  };
}

/** `8` + RPPS, the person's national identifier (IDNPS). */
export const idnps = (rpps: string) => ({ type: { coding: [{ system: FR_V2_0203, code: 'IDNPS' }] }, system: IDNPS_SYSTEM, value: `8${rpps}` });

export function toFhirPractitioner(p: PractitionerRow): Practitioner {
  return prune({
    resourceType: 'Practitioner',
    id: p.practitioner_id,
    meta: { profile: [PROFILES.practitioner] },
    identifier: [idnps(p.rpps)],
    name: [{ family: p.last_name, given: [p.first_name] }],
  });
}

export function toFhirPractitionerRole(p: PractitionerRow): PractitionerRole {
  const location: Location = prune({
    resourceType: 'Location',
    id: 'lieu',
    meta: { profile: [PROFILES.location] },
    // The place's identifier in our service (INTRN): the practice's uuid, as a URI.
    identifier: [{ type: { coding: [{ system: LOCATION_IDENTIFIER_TYPE, code: 'INTRN' }] }, system: 'urn:ietf:rfc:3986', value: `urn:uuid:${p.practice_id}` }],
    address: { line: [p.address_line], city: p.city, postalCode: p.postcode ?? undefined },
    position: { latitude: p.lat, longitude: p.lon },
  });
  return prune({
    resourceType: 'PractitionerRole',
    id: p.practitioner_id,
    meta: { profile: [PROFILES.practitionerRole] },
    contained: [location],
    practitioner: { reference: `Practitioner/${p.practitioner_id}` },
    location: [{ reference: '#lieu' }],
    telecom: p.phone ? [{ system: 'phone', value: p.phone }] : undefined,
  });
}

export function toFhirHealthcareService(c: CommunityRow): HealthcareService {
  return {
    resourceType: 'HealthcareService',
    id: c.community_id,
    meta: { profile: [PROFILES.healthcareService] },
    providedBy: { reference: `Organization/${c.community_id}` },
  };
}

export function toFhirOrganization(c: CommunityRow): Organization {
  return {
    resourceType: 'Organization',
    id: c.community_id,
    meta: { profile: [PROFILES.organization] },
    identifier: [
      {
        // Guide 1.1.0 and 1.2.0 fix different systems for this type: one coding of each satisfies both.
        type: { coding: [{ system: IDNST_TYPE_1_1, code: 'IDNST' }, { system: IDNST_TYPE_1_2, code: 'IDNST' }] },
        system: IDNST_SYSTEM,
        value: `1${c.finess}`,
      },
    ],
    name: c.community_name,
  };
}

/** A regulator account the SAS created (INT_R02), as it reads it back. */
export interface RegulatorRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  sas_id_system: string;
  sas_id_value: string;
  active: boolean;
}

export function toFhirRegulator(r: RegulatorRow): Practitioner {
  return prune({
    resourceType: 'Practitioner',
    id: r.id,
    meta: { profile: [PROFILES.regulator], source: SAS_SYSTEM },
    identifier: [{ type: { coding: [{ system: FR_V2_0203, code: r.sas_id_system === IDNPS_SYSTEM ? 'IDNPS' : 'INTRN' }] }, system: r.sas_id_system, value: r.sas_id_value }],
    active: r.active,
    name: [{ family: r.last_name ?? undefined, given: r.first_name ? [r.first_name] : undefined }],
    telecom: [{ system: 'email', value: r.email }],
  });
}

export interface SearchsetEntry {
  resource: Resource & { id?: string };
  mode: 'match' | 'include';
}

/**
 * A searchset Bundle: every match (no paging: the SAS's bundle allows one link only), `total` the
 * matches, the self link echoing the query, absolute fullUrls, each resource once.
 */
/** Entries come from the builders above, already without empty elements: the Bundle is not walked again. */
export function searchset(base: string, selfUrl: string, entries: SearchsetEntry[], profile?: string): Bundle {
  const seen = new Set<string>();
  const entry: BundleEntry[] = [];
  for (const e of entries) {
    const key = `${e.resource.resourceType}/${e.resource.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entry.push({ fullUrl: `${base}/${key}`, resource: e.resource, search: { mode: e.mode } });
  }
  return {
    resourceType: 'Bundle',
    ...(profile ? { meta: { profile: [profile] } } : {}),
    type: 'searchset',
    total: entries.filter((e) => e.mode === 'match').length,
    link: [{ relation: 'self', url: selfUrl }],
    ...(entry.length ? { entry } : {}),
  };
}

/**
 * Without its empty elements: no `undefined`, `null`, `""`, `[]` or `{}` anywhere (the guide's
 * rule: leave out what we do not have). Walks the value, which it returns.
 */
export function prune<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const kept = v.map(walk).filter((x) => x !== undefined);
      return kept.length ? kept : undefined;
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const w = walk(x);
        if (w !== undefined) out[k] = w;
      }
      return Object.keys(out).length ? out : undefined;
    }
    if (v === null || v === '' || v === undefined) return undefined;
    return v;
  };
  return walk(value) as T;
}

/** `GET /fhir/metadata`: what this server does, for the SAS and its test kit. */
export function capabilityStatement(base: string, version: string, date: string): CapabilityStatement {
  const slotProfile = PROFILES.slot;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'CPTS — soins non programmés',
    kind: 'instance',
    instantiates: [CPTS_CAPABILITY, STRUCTURE_CAPABILITY],
    software: { name: 'cpts-snp', version },
    implementation: { description: 'Gestionnaire d’agenda CPTS pour la plateforme numérique SAS', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Créneaux SNP des médecins de la CPTS (INT_R04) et comptes des régulateurs (INT_R02). Authentification : mTLS au proxy, puis X-Api-Key (rôle regulator).',
        resource: [
          {
            type: 'Slot',
            profile: slotProfile,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchInclude: ['Slot:schedule', 'Schedule:actor', 'Slot:service-type-reference', 'HealthcareService:organization'],
            searchParam: [
              { name: 'start', type: 'date', documentation: 'start=ge…&start=le… (bornes incluses ; sans fuseau : heure de Paris)' },
              { name: 'schedule.actor:Practitioner.identifier', type: 'token', documentation: `1 à 25 identifiants ${IDNPS_SYSTEM}|8<RPPS>, séparés par des virgules` },
              { name: 'status', type: 'token', documentation: 'free' },
            ],
          },
          {
            type: 'Schedule',
            profile: PROFILES.schedule,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [{ name: 'actor', type: 'reference', documentation: 'Practitioner/<id>' }],
          },
          {
            type: 'Practitioner',
            profile: PROFILES.practitioner,
            supportedProfile: [PROFILES.regulator],
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
            conditionalUpdate: true,
            searchParam: [{ name: 'identifier', type: 'token', documentation: `${IDNPS_SYSTEM}|8<RPPS> (médecins et régulateurs), ${SAS_SYSTEM}|<uuid> (régulateurs)` }],
          },
          { type: 'HealthcareService', profile: PROFILES.healthcareService },
          { type: 'Organization', profile: PROFILES.organization },
        ],
      },
    ],
  };
}
