import { communityPhoneRegion } from './phone-region';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors/domain-errors';
import { isCoordination, Principal } from '../auth/roles';
import { toE164 } from '../validation/phone';
import { CommunesService } from './communes.service';
import { Community } from './community.entity';
import { CreateCommunityDto, CreatePracticeDto, CreatePractitionerDto, ListPracticesQuery, ListPractitionersQuery, UpdateCommunityDto, UpdatePracticeDto, UpdatePractitionerDto } from './dto/directory.dto';
import { addressParts } from './address';
import { updateReturning } from '../database/returning';
import { DEFAULT_SPECIALTY } from './professions';
import { Practice } from './practice.entity';
import { Practitioner } from './practitioner.entity';
import { violatesUnique } from '../database/unique-violation';

export interface PractitionerWithZone {
  id: string;
  practiceId: string;
  timezone: string;
  modalities: string[];
}

@Injectable()
export class DirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly communes: CommunesService,
    @InjectRepository(Community) private readonly communities: Repository<Community>,
    @InjectRepository(Practice) private readonly practices: Repository<Practice>,
    @InjectRepository(Practitioner) private readonly practitioners: Repository<Practitioner>,
  ) {}

  async createCommunity(dto: CreateCommunityDto): Promise<Community> {
    const known: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM commune WHERE code = ANY($1::varchar[])`, [dto.communeCodes]);
    const unknown = dto.communeCodes.filter((c) => !known.some((k) => k.code === c));
    if (unknown.length) throw new UnprocessableError('commune_unknown', `Communes inconnues du code officiel géographique : ${unknown.slice(0, 10).join(', ')}`);
    const exists = await this.communities.createQueryBuilder('c').where('lower(c.name) = lower(:name)', { name: dto.name }).getCount();
    if (exists) throw new ConflictError('community_exists', `Une CPTS nommée « ${dto.name} » existe déjà`);
    if (dto.finess && (await this.communities.existsBy({ finess: dto.finess }))) throw finessTaken(dto.finess);
    try {
      return await this.communities.save(this.communities.create({ name: dto.name, communeCodes: dto.communeCodes, timezone: 'Europe/Paris', finess: dto.finess ?? null }));
    } catch (e) {
      if (violatesUnique(e, 'community_finess_uq')) throw finessTaken(dto.finess!);
      throw e;
    }
  }

  /** `PATCH /communities/:id`: sets the FINESS of a CPTS created without (the SAS then shows its slots). */
  async updateCommunity(id: string, dto: UpdateCommunityDto): Promise<Community> {
    try {
      const rows = await updateReturning(this.dataSource, `UPDATE community SET finess = coalesce($2, finess) WHERE id = $1 RETURNING id`, [id, dto.finess ?? null]);
      if (!rows.length) throw new NotFoundError('CPTS');
    } catch (e) {
      if (violatesUnique(e, 'community_finess_uq')) throw finessTaken(dto.finess!);
      throw e;
    }
    return (await this.communities.findOneBy({ id }))!;
  }

  /** The commune's centre for a practice the geocoder could not place; in French what to do when even that is unknown. */
  private async practiceCentre(communeCode: string, name: string) {
    try {
      return await this.communes.centreOf(communeCode);
    } catch (e) {
      if ((e as any).code !== 'commune_location_unknown') throw e;
      throw new UnprocessableError(
        'commune_location_unknown',
        `Nous ne savons pas situer ${name} pour le moment : vérifiez l’adresse du cabinet, ou indiquez sa position sur la carte (location), puis réessayez.`,
      );
    }
  }

  /** A coordinator enrols practices in their own CPTS only (403 for another). */
  async createPractice(principal: Principal, dto: CreatePracticeDto): Promise<Practice> {
    const scope = coordinationScope(principal);
    if (scope && dto.communityId !== scope) throw new ForbiddenError('Vous inscrivez des cabinets dans votre CPTS seulement');
    if (!(await this.communities.existsBy({ id: dto.communityId }))) throw new UnprocessableError('reference_not_found', 'communityId ne correspond à aucune CPTS');
    const commune = await this.communes.byCode(dto.communeCode);
    if (!commune) throw new UnprocessableError('commune_unknown', `La commune ${dto.communeCode} n'existe pas dans le code officiel géographique`);
    // Given, else the address as the national geocoder finds it, else the commune's centre.
    const location = dto.location ?? (await this.communes.locateAddress(dto.address, dto.communeCode)) ?? (await this.practiceCentre(dto.communeCode, commune.name));
    const parts = addressParts(dto.address, dto, commune);
    if (!parts.postcode) throw new UnprocessableError('postcode_unknown', `Indiquez le code postal du cabinet (postcode) : la commune ${commune.name} n’en a pas dans la liste officielle`);
    return this.practices.save(
      this.practices.create({
        communityId: dto.communityId,
        name: dto.name,
        kind: dto.kind ?? 'medical_practice',
        address: dto.address,
        addressLine: parts.line,
        postcode: parts.postcode,
        city: parts.city,
        communeCode: dto.communeCode,
        phone: toE164(dto.phone, await communityPhoneRegion(this.dataSource, dto.communityId))!,
        lat: location.lat,
        lon: location.lon,
      }),
    );
  }

  /** A coordinator enrols practitioners in their own CPTS's practices only (403 for another). */
  async createPractitioner(principal: Principal, dto: CreatePractitionerDto): Promise<Practitioner> {
    const practice = await this.practices.findOneBy({ id: dto.practiceId });
    if (!practice) throw new UnprocessableError('reference_not_found', 'practiceId ne correspond à aucun cabinet');
    const scope = coordinationScope(principal);
    if (scope && practice.communityId !== scope) throw new ForbiddenError('Ce cabinet n’appartient pas à votre CPTS');
    if (await this.practitioners.existsBy({ rpps: dto.rpps })) throw new ConflictError('rpps_taken', `Le praticien RPPS ${dto.rpps} est déjà inscrit`);
    // One person, one way in through Pro Santé Connect: a regulator's account already carrying this RPPS would make it ambiguous.
    if ((await this.dataSource.query(`SELECT 1 FROM app_user WHERE rpps = $1`, [dto.rpps])).length) throw new ConflictError('rpps_taken', `Le RPPS ${dto.rpps} est déjà celui d’un compte de régulation`);
    return this.practitioners.save(
      this.practitioners.create({
        rpps: dto.rpps,
        firstName: dto.firstName,
        lastName: dto.lastName,
        profession: dto.profession,
        specialty: dto.specialty ?? DEFAULT_SPECIALTY[dto.profession] ?? null,
        practiceId: dto.practiceId,
        minPatientAgeMonths: dto.minPatientAgeMonths ?? 0,
        modalities: dto.modalities ?? ['in_person'],
      }),
    );
  }

  /**
   * `PATCH /practices/:id`: a coordinator changes their CPTS's practices (the CPTS is in the
   * statement that finds it: another's is 404), an admin any. A new address or commune places the
   * practice again (given location, else the geocoder, else the commune's centre).
   */
  async updatePractice(principal: Principal, id: string, dto: UpdatePracticeDto): Promise<Practice> {
    const scope = coordinationScope(principal);
    const current = await this.practices.findOneBy(scope ? { id, communityId: scope } : { id });
    if (!current) throw new NotFoundError('Cabinet');
    const next: Partial<Practice> = {};
    if (dto.name !== undefined) next.name = dto.name;
    if (dto.kind !== undefined) next.kind = dto.kind;
    if (dto.phone !== undefined) next.phone = toE164(dto.phone, await communityPhoneRegion(this.dataSource, current.communityId))!;
    const moved = dto.address !== undefined || dto.communeCode !== undefined || dto.postcode !== undefined || dto.city !== undefined;
    if (moved) {
      const communeCode = dto.communeCode ?? current.communeCode;
      const address = dto.address ?? current.address;
      const commune = await this.communes.byCode(communeCode);
      if (!commune) throw new UnprocessableError('commune_unknown', `La commune ${communeCode} n'existe pas dans le code officiel géographique`);
      const parts = addressParts(address, dto, commune);
      if (!parts.postcode) throw new UnprocessableError('postcode_unknown', `Indiquez le code postal du cabinet (postcode) : la commune ${commune.name} n’en a pas dans la liste officielle`);
      const location = dto.location ?? (await this.communes.locateAddress(address, communeCode)) ?? (await this.practiceCentre(communeCode, commune.name));
      Object.assign(next, { address, communeCode, addressLine: parts.line, postcode: parts.postcode, city: parts.city, lat: location.lat, lon: location.lon });
    } else if (dto.location) {
      Object.assign(next, { lat: dto.location.lat, lon: dto.location.lon });
    }
    if (Object.keys(next).length) await this.practices.update({ id: current.id, communityId: current.communityId }, next);
    return (await this.practices.findOneBy({ id: current.id }))!;
  }

  /** `PATCH /practitioners/:id`: a coordinator changes their CPTS's practitioners (another CPTS's: 404), an admin any. */
  async updatePractitioner(principal: Principal, id: string, dto: UpdatePractitionerDto): Promise<Practitioner> {
    const scope = coordinationScope(principal);
    const found = scope
      ? await this.practitioners.createQueryBuilder('pr').innerJoin(Practice, 'p', 'p.id = pr.practiceId AND p.communityId = :scope', { scope }).where('pr.id = :id', { id }).getOne()
      : await this.practitioners.findOneBy({ id });
    if (!found) throw new NotFoundError('Praticien');
    const next: Partial<Practitioner> = {};
    for (const key of ['firstName', 'lastName', 'profession', 'specialty', 'minPatientAgeMonths', 'modalities'] as const) {
      if (dto[key] !== undefined) (next as Record<string, unknown>)[key] = dto[key];
    }
    if (dto.profession !== undefined && dto.specialty === undefined) next.specialty = DEFAULT_SPECIALTY[dto.profession] ?? found.specialty ?? null;
    if (Object.keys(next).length) await this.practitioners.update({ id: found.id }, next);
    return (await this.practitioners.findOneBy({ id: found.id }))!;
  }

  listPractices(q: ListPracticesQuery): Promise<Practice[]> {
    return this.practices.find({ where: { ...(q.id && { id: q.id }), ...(q.communityId && { communityId: q.communityId }), ...(q.communeCode && { communeCode: q.communeCode }) }, order: { name: 'ASC' }, take: 1000 });
  }

  listPractitioners(q: ListPractitionersQuery): Promise<Practitioner[]> {
    const where = { ...(q.id && { id: q.id }), ...(q.practiceId && { practiceId: q.practiceId }), ...(q.profession && { profession: q.profession }) };
    if (!q.communityId) return this.practitioners.find({ where, order: { lastName: 'ASC' }, take: 1000 });
    return this.practitioners
      .createQueryBuilder('pr')
      .innerJoin(Practice, 'p', 'p.id = pr.practiceId AND p.communityId = :communityId', { communityId: q.communityId })
      .where(where)
      .orderBy('pr.lastName', 'ASC')
      .take(1000)
      .getMany();
  }

  /**
   * The practitioner with its community's time zone, if the caller may manage their agenda: a
   * coordinator's own CPTS only (in the query: another CPTS's practitioner is unknown to them, 404),
   * then a GP their own and a secretary their practice's (403 with what they may do).
   */
  async practitionerForAgenda(principal: Principal, practitionerId: string): Promise<PractitionerWithZone> {
    const rows = await this.dataSource.query(
      `SELECT pr.id, pr.practice_id AS "practiceId", pr.modalities, c.timezone
         FROM practitioner pr JOIN practice p ON p.id = pr.practice_id JOIN community c ON c.id = p.community_id
        WHERE pr.id = $1 AND ($2::uuid IS NULL OR p.community_id = $2)`,
      [practitionerId, coordinationScope(principal)],
    );
    const found: PractitionerWithZone | undefined = rows[0];
    if (!found) throw new NotFoundError('Praticien');
    assertAgendaAccess(principal, found);
    return found;
  }
}

const finessTaken = (finess: string) => new ConflictError('finess_taken', `Le numéro FINESS ${finess} est déjà celui d’une autre CPTS`);

/**
 * The community a coordinator acts for (their statements filter on it); null for everyone else
 * (admins see every CPTS; GPs and secretaries are held to their own practitioner or practice).
 */
export function coordinationScope(principal: Principal): string | null {
  if (principal.role !== 'coordinator') return null;
  if (!principal.communityId) throw new ForbiddenError('Ce compte de coordination n’est rattaché à aucune CPTS');
  return principal.communityId;
}

/** A GP manages their own agenda, a secretary those of their practice, coordination every agenda (of their CPTS: see coordinationScope). */
export function assertAgendaAccess(principal: Principal, practitioner: { id: string; practiceId: string }): void {
  if (isCoordination(principal)) return;
  if (principal.role === 'gp' && principal.practitionerId === practitioner.id) return;
  if (principal.role === 'secretary' && principal.practiceId === practitioner.practiceId) return;
  throw new ForbiddenError(
    principal.role === 'gp'
      ? 'Un médecin ne gère que ses propres créneaux'
      : principal.role === 'secretary'
        ? "Un secrétariat ne gère que les créneaux des praticiens de son cabinet"
        : "Votre rôle ne permet pas de gérer l'agenda d'un praticien",
  );
}
