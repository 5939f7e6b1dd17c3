import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared';
import { updateReturning } from '../database/returning';
import { CommunesService, GeoPoint } from '../directory/communes.service';
import { assertAgendaAccess, coordinationScope, DirectoryService } from '../directory/directory.service';
import { NotFoundError, SlotOverlapError, SlotUnavailableError, UnprocessableError, ConflictError, ValidationFailedError, ForbiddenError } from '../errors/domain-errors';
import { actorParams } from '../auth/audit.service';
import { isCoordination, Principal } from '../auth/roles';
import { TooManyRequestsError } from '../limits/limits.service';
import { Availability, availability } from './availability';
import { AvailabilityQuery, CreateSlotTemplateDto, ListSlotsQuery, ListSlotTemplatesQuery, PlaceQuery, PublishSlotsDto, SearchSlotsQuery } from './dto/slots.dto';
import { DEFAULT_LIMIT, DEFAULT_MAX_DISTANCE_KM, DEFAULT_WINDOW_HOURS, MAX_WINDOW_DAYS } from './ranking';
import { agendaFreeSlots, AGENDA_LIMIT, SearchCriteria, searchFreeSlots, SearchResult } from './slot-search';
import { viewerOf, viewerParams, visibleSlotSql, sortedAudiences } from './audiences';
import { Audience, DEFAULT_AUDIENCES } from './slot-rules';
import { SLOTS_AVAILABLE, SlotsAvailableEvent } from './slot-events';
import { expandTemplate, TemplateRule } from './template-expansion';

export interface SlotView {
  id: string;
  practitionerId: string;
  start: string;
  end: string;
  modality: string;
  audiences: Audience[];
  status: string;
}

/** A slot `s` as answered (an expired hold reads as free). */
const SLOT_COLUMNS = `s.id, s.practitioner_id, s.starts_at, s.ends_at, s.modality, s.audiences,
  CASE WHEN s.status = 'held' AND s.hold_expires_at < now() THEN 'free' ELSE s.status END AS status`;

const toView = (r: any): SlotView => ({
  id: r.id,
  practitionerId: r.practitioner_id,
  start: r.starts_at.toISOString(),
  end: r.ends_at.toISOString(),
  modality: r.modality,
  audiences: sortedAudiences(r.audiences),
  status: r.status,
});

export interface SlotTemplateView {
  id: string;
  practitionerId: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  slotMinutes: number;
  modality: string;
  audiences: Audience[];
  validFrom: string;
  validUntil: string | null;
}

/** Withdraws slots that can be: free, or held with a lapsed hold (callers add which slots). */
const WITHDRAW_SQL = `UPDATE slot SET status = 'cancelled', hold_token = NULL, hold_expires_at = NULL, updated_at = now()
  WHERE (status = 'free' OR (status = 'held' AND hold_expires_at < now()))`;

/** Templates not ended, as `t`, with their practitioner `pr`, practice `p` and community `c` (callers add conditions). */
const TEMPLATES_SQL = `
  SELECT t.id, t.practitioner_id, pr.practice_id, t.weekdays, to_char(t.start_time, 'HH24:MI') AS start_time,
         to_char(t.end_time, 'HH24:MI') AS end_time, t.slot_minutes, t.modality, t.audiences,
         to_char(t.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(t.valid_until, 'YYYY-MM-DD') AS valid_until, c.timezone
    FROM slot_template t JOIN practitioner pr ON pr.id = t.practitioner_id
    JOIN practice p ON p.id = pr.practice_id JOIN community c ON c.id = p.community_id
   WHERE t.ended_at IS NULL`;

const toTemplateView = (r: any): SlotTemplateView => ({
  id: r.id,
  practitionerId: r.practitioner_id,
  weekdays: r.weekdays.map(Number),
  startTime: r.start_time,
  endTime: r.end_time,
  slotMinutes: r.slot_minutes,
  modality: r.modality,
  audiences: sortedAudiences(r.audiences),
  validFrom: r.valid_from,
  validUntil: r.valid_until,
});

const MAX_SLOT_MINUTES = 240;
/** The longest window `GET /availability` counts at once. */
const AVAILABILITY_MAX_DAYS = 7;

/** A query's time window: from now and for DEFAULT_WINDOW_HOURS unless given; 400 when reversed or longer than `maxDays`. */
function windowOf(q: { from?: string; to?: string }, maxDays: number, tooLong: string): { from: Date; to: Date } {
  const from = q.from ? new Date(q.from) : new Date();
  const to = q.to ? new Date(q.to) : DateTime.fromJSDate(from).plus({ hours: DEFAULT_WINDOW_HOURS }).toJSDate();
  if (to <= from) throw new ValidationFailedError('to doit être après from', [{ field: 'to', messages: ['to doit être après from'] }]);
  if (+to - +from > maxDays * 86_400_000) throw new ValidationFailedError(tooLong, [{ field: 'to', messages: [`au plus ${maxDays} jours après from`] }]);
  return { from, to };
}

@Injectable()
export class SlotsService {
  private readonly logger = new Logger(SlotsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly communes: CommunesService,
    private readonly events: EventEmitter2,
  ) {}

  /** Tells the matching engine (and whoever listens) that these slots can be booked. */
  announce(slotIds: string[]): void {
    if (slotIds.length) this.events.emit(SLOTS_AVAILABLE, { slotIds } satisfies SlotsAvailableEvent);
  }

  async publish(principal: Principal, dto: PublishSlotsDto): Promise<SlotView[]> {
    const practitioner = await this.directory.practitionerForAgenda(principal, dto.practitionerId);
    const now = DateTime.utc();
    const slots = dto.slots.map((s, i) => {
      const start = DateTime.fromISO(s.start, { setZone: true });
      const end = DateTime.fromISO(s.end, { setZone: true });
      const modality = s.modality ?? 'in_person';
      const audiences = sortedAudiences(s.audiences ?? DEFAULT_AUDIENCES);
      if (end <= start) throw new ValidationFailedError(`slots[${i}] : la fin doit être après le début`, [{ field: `slots.${i}.end`, messages: ['end doit être après start'] }]);
      if (end.diff(start, 'minutes').minutes > MAX_SLOT_MINUTES) throw new ValidationFailedError(`slots[${i}] : un créneau dure au plus ${MAX_SLOT_MINUTES} minutes`, [{ field: `slots.${i}.end`, messages: [`durée maximale ${MAX_SLOT_MINUTES} minutes`] }]);
      if (start <= now) throw new UnprocessableError('slot_in_past', `slots[${i}] : le créneau commence dans le passé (${s.start})`);
      if (start > now.plus({ days: 92 })) throw new UnprocessableError('slot_too_far', `slots[${i}] : on ne publie pas de créneau SNP à plus de 3 mois`);
      if (!practitioner.modalities.includes(modality)) throw new UnprocessableError('modality_not_offered', `slots[${i}] : ce praticien ne propose pas la modalité ${modality}`);
      return { start: start.toJSDate(), end: end.toJSDate(), modality, audiences: audiences.join(',') };
    });
    const sorted = [...slots].sort((a, b) => +a.start - +b.start);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].start < sorted[i - 1].end) throw new SlotOverlapError('Deux créneaux envoyés se chevauchent');
    }
    try {
      const rows = await this.dataSource.query(
        `INSERT INTO slot AS s (practitioner_id, practice_id, starts_at, ends_at, modality, audiences)
         SELECT $1, $2, st, e, m, string_to_array(a, ',') FROM unnest($3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[]) AS t(st, e, m, a)
         RETURNING ${SLOT_COLUMNS}`,
        [practitioner.id, practitioner.practiceId, slots.map((s) => s.start), slots.map((s) => s.end), slots.map((s) => s.modality), slots.map((s) => s.audiences)],
      );
      this.announce(rows.map((r: any) => r.id));
      return rows.map(toView).sort((a: SlotView, b: SlotView) => a.start.localeCompare(b.start));
    } catch (e) {
      if ((e as any).code === '23P01') throw new SlotOverlapError();
      throw e;
    }
  }

  /**
   * `GET /slots`: the slots the caller may see (their audiences: a regulator never sees a slot kept
   * for the CPTS, nor a secretary one kept for the regulation but their own practice's), in the
   * query itself. A coordinator and a GP see every slot of their own CPTS's agendas they manage.
   */
  async list(principal: Principal, q: ListSlotsQuery): Promise<SlotView[]> {
    const from = q.from ? new Date(q.from) : null;
    const to = q.to ? new Date(q.to) : null;
    const viewer = viewerOf(principal);
    const manages = principal.role === 'coordinator' ? { communityId: principal.communityId, practitionerId: null } : principal.role === 'gp' ? { communityId: null, practitionerId: principal.practitionerId } : null;
    const rows = await this.dataSource.query(
      `SELECT * FROM (SELECT ${SLOT_COLUMNS} FROM slot s JOIN practice p ON p.id = s.practice_id
         WHERE ($1::uuid IS NULL OR s.practitioner_id = $1)
           AND ($2::timestamptz IS NULL OR s.ends_at > $2) AND ($3::timestamptz IS NULL OR s.starts_at < $3)
           AND (${visibleSlotSql('s', 'p.community_id', '$5', '$6', '$7')}
                OR p.community_id = $8::uuid OR s.practitioner_id = $9::uuid)) x
        WHERE ($4::text IS NULL OR status = $4)
        ORDER BY starts_at LIMIT 2000`,
      [q.practitionerId ?? null, from, to, q.status ?? null, ...viewerParams(viewer), manages?.communityId ?? null, manages?.practitionerId ?? null],
    );
    return rows.map(toView);
  }

  /** Withdraws a free slot (status cancelled); a booked or held one stays. */
  async withdraw(principal: Principal, id: string): Promise<void> {
    const slot = await this.ownedSlot(principal, id);
    const rows = await updateReturning(
      this.dataSource,
      `${WITHDRAW_SQL} AND id = $1 RETURNING id`,
      [slot.id],
    );
    if (!rows.length) {
      const [{ status }] = await this.dataSource.query(`SELECT status FROM slot WHERE id = $1`, [id]);
      if (status === 'cancelled') return;
      throw new ConflictError(status === 'booked' ? 'slot_booked' : 'slot_held', status === 'booked' ? 'Ce créneau est réservé : annulez d’abord le rendez-vous' : 'Ce créneau est en cours de réservation, réessayez dans quelques minutes');
    }
  }

  /**
   * Holds a free slot for HOLD_SECONDS while the patient is on the phone, in the holder's name
   * (audited). One account holds at most MAX_LIVE_HOLDS slots at once (429 too_many_holds):
   * hold_slot() counts and holds in one call under a lock of the holder (migration SlotHolders),
   * so concurrent holds by the same account cannot pass the limit together.
   */
  async hold(principal: Principal, id: string): Promise<{ holdToken: string; expiresAt: string }> {
    const [user, key, role, ip] = actorParams(principal);
    const rows = await preparedQuery(this.dataSource, 'hold_slot_v2', `SELECT * FROM hold_slot($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      id, this.config.HOLD_SECONDS, user, key, role, ip, this.config.MAX_LIVE_HOLDS, ...viewerParams(viewerOf(principal)),
    ]);
    const [row] = rows;
    if (row?.hold_token) return { holdToken: row.hold_token, expiresAt: row.hold_expires_at.toISOString() };
    const slot = await this.requireSlot(principal, id);
    if (slot.past) throw new UnprocessableError('slot_in_past', 'Ce créneau a déjà commencé : choisissez-en un autre');
    if (row && row.live >= this.config.MAX_LIVE_HOLDS) {
      throw new TooManyRequestsError('too_many_holds', `Vous retenez déjà ${row.live} créneaux : réservez ou laissez expirer l’un d’eux avant d’en retenir un autre`);
    }
    throw new SlotUnavailableError('Ce créneau vient d’être pris ou retenu par quelqu’un d’autre');
  }

  async search(principal: Principal, q: SearchSlotsQuery): Promise<SearchResult[]> {
    const { from, to } = windowOf(q, MAX_WINDOW_DAYS, `La fenêtre de recherche est limitée à ${MAX_WINDOW_DAYS} jours`);
    if (q.practitionerId) {
      return agendaFreeSlots(this.dataSource, {
        practitionerId: q.practitionerId, from, to, limit: q.limit ?? AGENDA_LIMIT, modality: q.modality, patientAgeMonths: q.patientAgeMonths, viewer: viewerOf(principal),
      });
    }
    const origin = await this.originOf(q);
    return this.searchAround({
      viewer: viewerOf(principal),
      ...origin,
      from,
      to,
      maxDistanceKm: q.maxDistanceKm ?? DEFAULT_MAX_DISTANCE_KM,
      limit: q.limit ?? DEFAULT_LIMIT,
      modality: q.modality,
      patientAgeMonths: q.patientAgeMonths,
    });
  }

  searchAround(criteria: SearchCriteria): Promise<SearchResult[]> {
    return searchFreeSlots(this.dataSource, criteria);
  }

  /**
   * `GET /availability`: free slots around a place, per time bucket and per commune (regulation).
   * Same place rules as the search; at most 7 days at once.
   */
  async availability(principal: Principal, q: AvailabilityQuery): Promise<Availability> {
    const origin = await this.originOf(q);
    const { from, to } = windowOf(q, AVAILABILITY_MAX_DAYS, `${AVAILABILITY_MAX_DAYS} jours au plus entre from et to`);
    return availability(this.dataSource, { ...origin, radiusKm: q.radiusKm ?? DEFAULT_MAX_DISTANCE_KM, from, to, bucketMinutes: q.bucketMinutes ?? 60, viewer: viewerOf(principal) });
  }

  /** Where a search is centred: coordinates, else a commune's centre, else a postcode's. */
  private async originOf(q: PlaceQuery): Promise<GeoPoint> {
    const hasLat = q.lat !== undefined;
    const hasLon = q.lon !== undefined;
    if (hasLat !== hasLon) throw new ValidationFailedError('Donnez lat et lon ensemble', [{ field: hasLat ? 'lon' : 'lat', messages: ['lat et lon vont ensemble'] }]);
    if (hasLat) return { lat: q.lat!, lon: q.lon! };
    if (q.communeCode) return this.communes.centreOf(q.communeCode);
    if (q.postcode) return this.communes.centreOfPostcode(q.postcode);
    throw new ValidationFailedError('Indiquez où chercher : lat et lon, communeCode ou postcode', [{ field: 'communeCode', messages: ['lat+lon, communeCode ou postcode requis'] }]);
  }

  async createTemplate(principal: Principal, dto: CreateSlotTemplateDto): Promise<{ template: Record<string, unknown>; generated: number }> {
    const practitioner = await this.directory.practitionerForAgenda(principal, dto.practitionerId);
    if (dto.endTime <= dto.startTime) throw new ValidationFailedError('endTime doit être après startTime', [{ field: 'endTime', messages: ['endTime doit être après startTime'] }]);
    const modality = dto.modality ?? 'in_person';
    const audiences = sortedAudiences(dto.audiences ?? DEFAULT_AUDIENCES);
    if (!practitioner.modalities.includes(modality)) throw new UnprocessableError('modality_not_offered', `Ce praticien ne propose pas la modalité ${modality}`);
    if (dto.validUntil && dto.validUntil < dto.validFrom) throw new ValidationFailedError('validUntil doit être après validFrom', [{ field: 'validUntil', messages: ['validUntil doit être après validFrom'] }]);
    const today = DateTime.now().setZone(practitioner.timezone).toISODate()!;
    if (dto.validUntil && dto.validUntil < today) throw new UnprocessableError('template_in_past', 'Ce modèle se termine avant aujourd’hui');
    const [row] = await this.dataSource.query(
      `INSERT INTO slot_template (practitioner_id, weekdays, start_time, end_time, slot_minutes, modality, audiences, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [practitioner.id, dto.weekdays, dto.startTime, dto.endTime, dto.slotMinutes, modality, audiences, dto.validFrom, dto.validUntil ?? null],
    );
    const generated = await this.expandTemplates(row.id);
    return { template: { id: row.id, ...dto, modality, audiences }, generated };
  }

  /**
   * `GET /slot-templates`: the templates still active (not ended, valid until today or later in the
   * community's time zone) of the agendas the caller manages, by practitioner then start time.
   */
  async listTemplates(principal: Principal, q: ListSlotTemplatesQuery): Promise<SlotTemplateView[]> {
    let practitionerId: string | null = null;
    let practiceId: string | null = null;
    if (q.practitionerId) {
      practitionerId = (await this.directory.practitionerForAgenda(principal, q.practitionerId)).id;
    } else if (principal.role === 'gp') {
      if (!principal.practitionerId) throw new ForbiddenError('Ce compte médecin n’est rattaché à aucun praticien');
      practitionerId = principal.practitionerId;
    } else if (!isCoordination(principal)) {
      if (!principal.practiceId) throw new ForbiddenError('Ce compte n’est rattaché à aucun cabinet');
      practiceId = principal.practiceId;
    }
    const rows = await this.dataSource.query(
      `${TEMPLATES_SQL} AND (t.valid_until IS NULL OR t.valid_until >= (now() AT TIME ZONE c.timezone)::date)
          AND ($1::uuid IS NULL OR t.practitioner_id = $1) AND ($2::uuid IS NULL OR pr.practice_id = $2) AND ($3::uuid IS NULL OR p.community_id = $3)
        ORDER BY pr.last_name, pr.first_name, t.practitioner_id, t.start_time, t.valid_from, t.id
        LIMIT 2000`,
      [practitionerId, practiceId, coordinationScope(principal)],
    );
    return rows.map(toTemplateView);
  }

  /**
   * `DELETE /slot-templates/:id`: the template generates no more slots, and its future free slots
   * (and expired holds) are withdrawn in the same transaction; booked slots and live holds stay.
   * Ending twice is harmless. Nothing is announced: withdrawn slots are nobody's news.
   */
  async endTemplate(principal: Principal, id: string): Promise<void> {
    const rows = await this.dataSource.query(
      `SELECT t.practitioner_id AS id, pr.practice_id AS "practiceId" FROM slot_template t JOIN practitioner pr ON pr.id = t.practitioner_id
         JOIN practice p ON p.id = pr.practice_id WHERE t.id = $1 AND ($2::uuid IS NULL OR p.community_id = $2)`,
      [id, coordinationScope(principal)],
    );
    if (!rows.length) throw new NotFoundError('Modèle de créneaux');
    assertAgendaAccess(principal, rows[0]);
    await this.dataSource.transaction(async (em) => {
      // Template row first: its lock makes an expansion under way finish (or wait) before the withdrawal reads the slots.
      await em.query(`UPDATE slot_template SET ended_at = now() WHERE id = $1 AND ended_at IS NULL`, [id]);
      await em.query(`${WITHDRAW_SQL} AND template_id = $1 AND starts_at > now()`, [id]);
    });
  }

  /**
   * Creates the slots of templates (one, or every active one) for the coming TEMPLATE_HORIZON_DAYS.
   * Idempotent: a (template, start) pair is created once, even after a withdrawal, and a start that
   * overlaps a slot published by hand is skipped (ON CONFLICT DO NOTHING covers both constraints).
   */
  async expandTemplates(templateId?: string, firstDayOverride?: string): Promise<number> {
    const templates = await this.dataSource.query(
      `${TEMPLATES_SQL} AND ($1::uuid IS NULL OR t.id = $1) AND (t.valid_until IS NULL OR t.valid_until >= current_date - 1)`,
      [templateId ?? null],
    );
    let created = 0;
    const now = DateTime.utc();
    for (const t of templates) {
      const rule: TemplateRule = toTemplateView(t);
      const firstDay = firstDayOverride ?? DateTime.now().setZone(t.timezone).toISODate()!;
      const slots = expandTemplate(rule, firstDay, this.config.TEMPLATE_HORIZON_DAYS, t.timezone).filter((s) => s.start > now);
      if (!slots.length) continue;
      // FOR SHARE waits for a DELETE /slot-templates/:id under way and re-reads the row after it:
      // a template ended meanwhile gets no slot, and one ended after this insert withdraws them.
      const rows = await this.dataSource.query(
        `INSERT INTO slot (practitioner_id, practice_id, template_id, starts_at, ends_at, modality, audiences)
         SELECT $1, $2, $3, s, e, $4, $7 FROM unnest($5::timestamptz[], $6::timestamptz[]) AS x(s, e)
          WHERE EXISTS (SELECT 1 FROM slot_template WHERE id = $3 AND ended_at IS NULL FOR SHARE)
         ON CONFLICT DO NOTHING RETURNING id`,
        [t.practitioner_id, t.practice_id, t.id, t.modality, slots.map((s) => s.start.toJSDate()), slots.map((s) => s.end.toJSDate()), t.audiences],
      );
      created += rows.length;
      this.announce(rows.map((r: any) => r.id));
    }
    if (!templateId) this.logger.log({ templates: templates.length, created }, 'templates expanded');
    return created;
  }

  /** Tidies holds that have expired (readers already treat them as free). */
  async releaseExpiredHolds(): Promise<number> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE slot SET status = 'free', hold_token = NULL, hold_expires_at = NULL, updated_at = now()
        WHERE status = 'held' AND hold_expires_at < now() RETURNING id, starts_at > now() AS ahead`,
    );
    this.announce(rows.filter((r) => r.ahead).map((r) => r.id));
    return rows.length;
  }

  /** A slot the caller may see (404 otherwise: a slot kept for another audience does not exist for them). */
  private async requireSlot(principal: Principal, id: string): Promise<{ id: string; status: string; past: boolean }> {
    const rows = await this.dataSource.query(
      `SELECT s.id, s.status, s.starts_at <= now() AS past FROM slot s JOIN practice p ON p.id = s.practice_id
        WHERE s.id = $1 AND ${visibleSlotSql('s', 'p.community_id', '$2', '$3', '$4')}`,
      [id, ...viewerParams(viewerOf(principal))],
    );
    if (!rows.length) throw new NotFoundError('Créneau');
    return rows[0];
  }

  /** A slot of an agenda the caller manages: a coordinator's own CPTS only (in the query: 404 for another's), then assertAgendaAccess. */
  private async ownedSlot(principal: Principal, id: string) {
    const rows = await this.dataSource.query(
      `SELECT s.id, s.practitioner_id, s.practice_id FROM slot s JOIN practice p ON p.id = s.practice_id WHERE s.id = $1 AND ($2::uuid IS NULL OR p.community_id = $2)`,
      [id, coordinationScope(principal)],
    );
    if (!rows.length) throw new NotFoundError('Créneau');
    assertAgendaAccess(principal, { id: rows[0].practitioner_id, practiceId: rows[0].practice_id });
    return rows[0] as { id: string };
  }
}
