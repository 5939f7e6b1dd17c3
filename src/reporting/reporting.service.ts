import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { frenchCsv } from '../csv/french-csv';
import { preparedQuery } from '../database/prepared';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../errors/domain-errors';
import { ADD_ON_ROWS_SQL, addOnCounter, AddOnCounter, AddOnRow } from './add-ons';
import { at, bookingsSql, counters, Counters, frenchNumber, LABELS, membersSql, requestsSql, share, slotsSql, Variant } from './indicators';
import { currentIsoWeek, parseIsoWeek, parsePeriod, Period, weeksOf } from './period';
import { PeriodQuery } from './dto/reporting.dto';

export interface Indicators extends Counters {
  from: string;
  to: string;
  communityId: string | null;
}

const statementName = (kind: string, v: Variant) => `indicators_${kind}_${v.scoped ? "cpts" : "all"}_${v.weekly ? "weekly" : "total"}_v2`;

/** Per GP of a CPTS over a period (the dashboard's table): `$1`–`$2` the period, `$3` the CPTS. */
const PER_PRACTITIONER_SQL = `
  SELECT pr.id, pr.first_name, pr.last_name, pr.profession, p.id AS practice_id, p.name AS practice_name,
         coalesce(x.published, 0)::int AS published, coalesce(x.booked, 0)::int AS booked,
         coalesce(x.attended, 0)::int AS attended, coalesce(x.no_show, 0)::int AS no_show
    FROM practitioner pr JOIN practice p ON p.id = pr.practice_id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE s.status <> 'cancelled') AS published,
             count(*) FILTER (WHERE s.status = 'booked') AS booked,
             count(bk.id) FILTER (WHERE bk.status = 'attended') AS attended,
             count(bk.id) FILTER (WHERE bk.status = 'no_show') AS no_show
        FROM slot s LEFT JOIN booking bk ON bk.slot_id = s.id AND bk.status IN ('attended', 'no_show')
       WHERE s.practice_id = p.id AND s.practitioner_id = pr.id AND s.starts_at >= $1 AND s.starts_at < $2) x ON true
   WHERE p.community_id = $3
   ORDER BY pr.last_name, pr.first_name, pr.id`;

/**
 * The coordination's figures and the GPs' add-on counters, read from the rows as they are. A
 * coordinator's figures are their CPTS's (the CPTS is a condition of each statement); an admin
 * chooses one, or sees all together.
 */
@Injectable()
export class ReportingService {
  constructor(private readonly dataSource: DataSource) {}

  /** Whose figures: a coordinator their own CPTS (another: 403), an admin the one asked (unknown: 404) or every CPTS (null). */
  private async communityOf(p: Principal, asked: string | undefined): Promise<string | null> {
    if (p.role === 'coordinator') {
      if (asked && asked !== p.communityId) throw new ForbiddenError('La coordination ne voit que les chiffres de sa CPTS');
      return p.communityId;
    }
    if (!asked) return null;
    if (!(await this.dataSource.query(`SELECT 1 FROM community WHERE id = $1`, [asked])).length) throw new NotFoundError('CPTS');
    return asked;
  }

  private run(kind: 'requests' | 'bookings' | 'slots', v: Variant, period: Period, community: string | null) {
    const sql = kind === 'requests' ? requestsSql(v) : kind === 'bookings' ? bookingsSql(v) : slotsSql(v);
    return preparedQuery(this.dataSource, statementName(kind, v), sql, community ? [period.from, period.to, community] : [period.from, period.to]);
  }

  private async members(community: string | null): Promise<number> {
    const [row] = await this.dataSource.query(membersSql(community !== null), community ? [community] : []);
    return row.members;
  }

  /** `GET /indicators`: the period's counters (the three statements run at once, each on its own connection). */
  async indicators(p: Principal, q: PeriodQuery): Promise<Indicators> {
    const period = parsePeriod(q.from, q.to);
    const community = await this.communityOf(p, q.communityId);
    const v = { scoped: community !== null, weekly: false };
    const [[requests], [bookings], [slots], members] = await Promise.all([
      this.run('requests', v, period, community),
      this.run('bookings', v, period, community),
      this.run('slots', v, period, community),
      this.members(community),
    ]);
    return { from: q.from, to: q.to, communityId: community, ...counters(requests, bookings, slots, members) };
  }

  /** `GET /indicators/weekly`: the same counters per ISO week (Paris) of the period, every week listed, the first and last cut to the period. */
  async weekly(p: Principal, q: PeriodQuery) {
    const period = parsePeriod(q.from, q.to);
    const community = await this.communityOf(p, q.communityId);
    const v = { scoped: community !== null, weekly: true };
    const [requests, bookings, slots, members] = await Promise.all([
      this.run('requests', v, period, community),
      this.run('bookings', v, period, community),
      this.run('slots', v, period, community),
      this.members(community),
    ]);
    const byWeek = (rows: any[]) => new Map(rows.map((r) => [r.week, r]));
    const [r, b, s] = [byWeek(requests), byWeek(bookings), byWeek(slots)];
    return {
      from: q.from,
      to: q.to,
      communityId: community,
      weeks: weeksOf(period).map(({ monday, week }) => ({ week, ...counters(r.get(monday), b.get(monday), s.get(monday), members) })),
    };
  }

  /** The counters as a French spreadsheet reads them: `indicateur;libelle;valeur`, one row per counter. */
  csv(i: Indicators): string {
    return frenchCsv(['indicateur', 'libelle', 'valeur'], LABELS.map(([path, label]) => [path, label, frenchNumber(at(i, path))]));
  }

  /**
   * `GET /indicators/practitioners`: per GP of a CPTS, the period's slots published and booked, the
   * consultations attended and missed, and the add-ons payable this week. A CPTS's: an admin names it.
   */
  async perPractitioner(p: Principal, q: PeriodQuery) {
    const period = parsePeriod(q.from, q.to);
    const community = await this.communityOf(p, q.communityId);
    if (!community) throw new ValidationFailedError('Requête invalide', [{ field: 'communityId', messages: ['communityId : le tableau par médecin est celui d’une CPTS'] }]);
    const rows = await preparedQuery(this.dataSource, 'indicators_per_practitioner_v1', PER_PRACTITIONER_SQL, [period.from, period.to, community]);
    const week = currentIsoWeek();
    const addOns = await this.addOnsOf(rows.map((r: any) => r.id), week);
    return {
      from: q.from,
      to: q.to,
      communityId: community,
      week,
      practitioners: rows.map((r: any) => ({
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        profession: r.profession,
        practice: { id: r.practice_id, name: r.practice_name },
        slots: { published: r.published, booked: r.booked, fillRate: share(r.booked, r.published) },
        bookings: { attended: r.attended, noShow: r.no_show },
        addOns: { payable: addOns.get(r.id)?.payable ?? 0, eligible: addOns.get(r.id)?.eligible ?? 0 },
      })),
    };
  }

  private async addOnsOf(practitionerIds: string[], week: string): Promise<Map<string, AddOnCounter>> {
    if (!practitionerIds.length) return new Map();
    const w = parseIsoWeek(week);
    const rows: AddOnRow[] = await preparedQuery(this.dataSource, 'add_on_rows_v1', ADD_ON_ROWS_SQL, [practitionerIds, w.from, w.to]);
    const byGp = new Map<string, AddOnRow[]>();
    for (const r of rows) byGp.set(r.practitioner_id, [...(byGp.get(r.practitioner_id) ?? []), r]);
    return new Map(practitionerIds.map((id) => [id, addOnCounter(id, week, byGp.get(id) ?? [])]));
  }

  /**
   * `GET /practitioners/:id/snp-add-ons?week=`: a GP's own counter, a coordinator's for a GP of
   * their CPTS (the CPTS is in the statement: another's is 404), an admin's for anyone.
   */
  async addOns(p: Principal, practitionerId: string, week: string | undefined): Promise<AddOnCounter> {
    const w = parseIsoWeek(week ?? currentIsoWeek());
    if (p.role === 'gp' && p.practitionerId !== practitionerId) throw new ForbiddenError('Un médecin ne voit que son propre compteur de majorations');
    const [gp] = await this.dataSource.query(
      `SELECT pr.id FROM practitioner pr JOIN practice pc ON pc.id = pr.practice_id WHERE pr.id = $1 AND ($2::uuid IS NULL OR pc.community_id = $2)`,
      [practitionerId, p.role === 'coordinator' ? p.communityId : null],
    );
    if (!gp) throw new NotFoundError('Praticien');
    return (await this.addOnsOf([practitionerId], w.week)).get(practitionerId)!;
  }
}
