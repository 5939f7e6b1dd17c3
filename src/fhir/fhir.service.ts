import { Injectable } from '@nestjs/common';
import type { Bundle, Practitioner, Schedule, Slot } from 'fhir/r4';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { BOOKABLE_SLOT } from '../slots/slot-search';
import { IDNPS_SYSTEM, PROFILES } from './fhir-codes';
import { FhirError } from './fhir-errors';
import { SlotSearch } from './fhir-query';
import {
  CommunityRow, PractitionerRow, SearchsetEntry, searchset, SlotRow, toFhirHealthcareService, toFhirOrganization, toFhirPractitioner, toFhirPractitionerRole,
  toFhirRegulator, toFhirSchedule, toFhirSlot,
} from './fhir-resources';
import { RegulatorsService } from './regulators.service';

/** A practitioner with their practice and CPTS, as every resource of the façade needs them. */
const PRACTITIONER_COLUMNS = `pr.id AS practitioner_id, pr.rpps, pr.first_name, pr.last_name, pr.specialty,
  p.id AS practice_id, p.address_line, p.postcode, p.city, p.phone, p.lat, p.lon, c.id AS community_id, c.name AS community_name, c.finess`;

/**
 * The SAS's search (INT_R04) in one statement: the free slots — free, or held with a lapsed hold;
 * not started; kept for the regulation (audiences) — of the practitioners whose RPPS is asked, in
 * the window, with what their Schedule, Practitioner, PractitionerRole, HealthcareService and
 * Organization need. Only CPTS with a FINESS are shown (the SAS identifies a CPTS by it). Each
 * practitioner's slots come from the partial index slot_open_idx (practitioner, start).
 */
export const FHIR_SLOT_SEARCH_SQL = `
  SELECT s.id, s.starts_at, s.ends_at, s.modality, s.audiences, 'free' AS status, ${PRACTITIONER_COLUMNS}
    FROM practitioner pr
    JOIN practice p ON p.id = pr.practice_id
    JOIN community c ON c.id = p.community_id AND c.finess IS NOT NULL
    JOIN slot s ON s.practitioner_id = pr.id AND ${BOOKABLE_SLOT}
               AND s.starts_at >= greatest($2::timestamptz, now()) AND s.starts_at < $3::timestamptz
               AND 'regulation' = ANY (s.audiences)
   WHERE pr.rpps = ANY ($1::bpchar[])
   ORDER BY s.starts_at, s.id`;

/** The name the search is prepared under (the benchmark's raw baseline prepares it the same way). */
export const FHIR_SLOT_SEARCH_STATEMENT = 'fhir_slot_search_v1';

export const fhirSlotSearchParams = (q: Pick<SlotSearch, 'rpps' | 'from' | 'to'>): unknown[] => [q.rpps, q.from, q.to];

/** What the answers are built against: our public address (PUBLIC_URL, else the request's own). */
export interface Bases {
  /** The web page (Slot.comment links into it). */
  web: string;
  /** `<web>/fhir`, the base of every fullUrl. */
  fhir: string;
}

@Injectable()
export class FhirService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regulators: RegulatorsService,
  ) {}

  async searchSlots(q: SlotSearch, bases: Bases, selfUrl: string): Promise<Bundle> {
    const rows: Array<SlotRow & PractitionerRow & CommunityRow> = q.rpps.length
      ? await preparedQuery(this.dataSource, FHIR_SLOT_SEARCH_STATEMENT, FHIR_SLOT_SEARCH_SQL, fhirSlotSearchParams(q))
      : [];
    return slotBundle(rows, q.includes, bases, selfUrl);
  }

  /** `GET /fhir/Slot/<id>`: a slot kept for the regulation, of a CPTS the SAS knows, whatever its status now. */
  async readSlot(id: string, bases: Bases): Promise<Slot> {
    const [row] = isUUID(id)
      ? await this.dataSource.query(
          `SELECT s.id, s.starts_at, s.ends_at, s.modality, s.audiences,
                  CASE WHEN s.status = 'held' AND s.hold_expires_at < now() THEN 'free' ELSE s.status END AS status, ${PRACTITIONER_COLUMNS}
             FROM slot s JOIN practitioner pr ON pr.id = s.practitioner_id JOIN practice p ON p.id = pr.practice_id
             JOIN community c ON c.id = p.community_id AND c.finess IS NOT NULL
            WHERE s.id = $1 AND 'regulation' = ANY (s.audiences)`,
          [id],
        )
      : [];
    if (!row) throw new FhirError(404, 'not-found', `Slot/${id.slice(0, 64)} introuvable`);
    return toFhirSlot(row, row, bases.web);
  }

  private async practitioners(where: string, params: unknown[]): Promise<PractitionerRow[]> {
    return this.dataSource.query(
      `SELECT ${PRACTITIONER_COLUMNS} FROM practitioner pr JOIN practice p ON p.id = pr.practice_id
         JOIN community c ON c.id = p.community_id AND c.finess IS NOT NULL
        WHERE ${where} ORDER BY pr.last_name, pr.id LIMIT 100`,
      params,
    );
  }

  async readSchedule(id: string): Promise<Schedule> {
    const [row] = isUUID(id) ? await this.practitioners('pr.id = $1', [id]) : [];
    if (!row) throw new FhirError(404, 'not-found', `Schedule/${id.slice(0, 64)} introuvable`);
    return toFhirSchedule(row);
  }

  /** `GET /fhir/Schedule?actor=Practitioner/<id>` (or `PractitionerRole/<id>`, or the id alone). */
  async searchSchedules(actor: string | undefined, base: string, selfUrl: string): Promise<Bundle> {
    if (!actor) throw new FhirError(400, 'required', 'Donnez actor=Practitioner/<id>');
    const ids = actor.split(',').map((a) => a.trim().replace(/^(Practitioner|PractitionerRole)\//, ''));
    const valid = ids.filter((id) => isUUID(id));
    const rows = valid.length ? await this.practitioners('pr.id = ANY ($1::uuid[])', [valid]) : [];
    return searchset(base, selfUrl, rows.map((r) => ({ resource: toFhirSchedule(r), mode: 'match' })));
  }

  /** `GET /fhir/Practitioner/<id>`: a GP of a CPTS the SAS knows, or a regulator the SAS created. */
  async readPractitioner(id: string): Promise<Practitioner> {
    const [row] = isUUID(id) ? await this.practitioners('pr.id = $1', [id]) : [];
    if (row) return toFhirPractitioner(row);
    const regulator = await this.regulators.byId(id);
    if (regulator) return toFhirRegulator(regulator);
    throw new FhirError(404, 'not-found', `Practitioner/${id.slice(0, 64)} introuvable`);
  }

  /** `GET /fhir/Practitioner?identifier=system|value[,…]`: GPs by `8`+RPPS, regulators by their SAS identity. */
  async searchPractitioners(tokens: Array<{ system: string | null; value: string }>, base: string, selfUrl: string): Promise<Bundle> {
    const rpps = tokens.filter((t) => (t.system === null || t.system === IDNPS_SYSTEM) && /^8\d{11}$/.test(t.value)).map((t) => t.value.slice(1));
    const gps = rpps.length ? await this.practitioners('pr.rpps = ANY ($1::bpchar[])', [rpps]) : [];
    const regulators = await this.regulators.byIdentifiers(tokens);
    return searchset(base, selfUrl, [
      ...gps.map((r) => ({ resource: toFhirPractitioner(r), mode: 'match' as const })),
      ...regulators.map((r) => ({ resource: toFhirRegulator(r), mode: 'match' as const })),
    ]);
  }
}

/**
 * The searchset of INT_R04 from the statement's rows: each Slot (match), then what was asked to be
 * included, each once: its Schedule; the Schedule's Practitioner and PractitionerRole; the CPTS's
 * HealthcareService and its Organization.
 */
export function slotBundle(rows: Array<SlotRow & PractitionerRow & CommunityRow>, includes: SlotSearch['includes'], bases: Bases, selfUrl: string): Bundle {
  const entries: SearchsetEntry[] = rows.map((r) => ({ resource: toFhirSlot(r, r, bases.web), mode: 'match' }));
  // Each practitioner's and each CPTS's resources built once, however many of their slots match.
  const practitioners = new Set<string>();
  const communities = new Set<string>();
  for (const r of rows) {
    if (!practitioners.has(r.practitioner_id)) {
      practitioners.add(r.practitioner_id);
      if (includes.schedule) entries.push({ resource: toFhirSchedule(r), mode: 'include' });
      if (includes.actors) entries.push({ resource: toFhirPractitioner(r), mode: 'include' }, { resource: toFhirPractitionerRole(r), mode: 'include' });
    }
    if (!communities.has(r.community_id)) {
      communities.add(r.community_id);
      if (includes.healthcareService) entries.push({ resource: toFhirHealthcareService(r), mode: 'include' });
      if (includes.organization) entries.push({ resource: toFhirOrganization(r), mode: 'include' });
    }
  }
  return searchset(bases.fhir, selfUrl, entries, PROFILES.bundle);
}
