import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { plainToInstance } from 'class-transformer';
import { isEmail, isUUID, validate } from 'class-validator';
import { randomBytes } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/roles';
import { isValidRpps } from '../directory/rpps';
import { flatten } from '../validation/validation.pipe';
import { updateReturning } from '../database/returning';
import { RegulatorPractitionerDto } from './dto/regulator.dto';
import { IDNPS_SYSTEM, SAS_SYSTEM } from './fhir-codes';
import { FhirError } from './fhir-errors';
import { parseIdentifierTokens } from './fhir-query';
import { RegulatorRow } from './fhir-resources';
import { violatesUnique } from '../database/unique-violation';

/** A regulator as the SAS sends them, checked. */
export interface RegulatorInput {
  system: string;
  value: string;
  family: string;
  given: string;
  email: string;
  active: boolean;
  /** The RPPS of an IDNPS `8`+RPPS: Pro Santé Connect then signs them in. */
  rpps: string | null;
}

export const REGULATOR_COLUMNS = `id, email, first_name, last_name, sas_id_system, sas_id_value, active`;

/**
 * Reads a FrPractitionerRegul body: class-validator for its shape, then the guide's rules (the
 * identifier's type agrees with its system: IDNPS for the national directory, INTRN for the SAS's
 * UUIDs; an e-mail address). 400 OperationOutcome with every problem, in French.
 */
export async function readRegulator(body: unknown): Promise<RegulatorInput> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new FhirError(400, 'invalid', 'Envoyez une ressource Practitioner (JSON)');
  const dto = plainToInstance(RegulatorPractitionerDto, body);
  const errors = await validate(dto, { forbidUnknownValues: false });
  if (errors.length) {
    const messages = flatten(errors).flatMap((d) => d.messages);
    throw new FhirError(400, 'invalid', `Practitioner invalide : ${messages.slice(0, 5).join(' ; ')}`);
  }
  const id = dto.identifier[0];
  const expected = id.system === IDNPS_SYSTEM ? 'IDNPS' : 'INTRN';
  const codes = (id.type?.coding ?? []).map((c) => c.code).filter(Boolean);
  if (codes.length && !codes.includes(expected)) {
    throw new FhirError(400, 'value', `identifier.type : ${expected} avec le système ${id.system} (IDNPS pour ${IDNPS_SYSTEM}, INTRN pour ${SAS_SYSTEM})`);
  }
  if (id.system === SAS_SYSTEM && !isUUID(id.value)) throw new FhirError(400, 'value', `identifier.value : l’identifiant SAS (${SAS_SYSTEM}) est un UUID`);
  const emails = dto.telecom.filter((t) => t.system === 'email');
  if (!emails.length) throw new FhirError(400, 'required', 'telecom : l’adresse e-mail du régulateur est obligatoire (system: email)');
  const email = emails[0].value.trim();
  if (!isEmail(email)) throw new FhirError(400, 'value', `telecom : « ${email.slice(0, 80)} » n’est pas une adresse e-mail valide`);
  const rpps = id.system === IDNPS_SYSTEM && /^8\d{11}$/.test(id.value) && isValidRpps(id.value.slice(1)) ? id.value.slice(1) : null;
  return { system: id.system, value: id.value, family: dto.name[0].family.trim(), given: dto.name[0].given[0].trim(), email: email.toLowerCase(), active: dto.active, rpps };
}

const duplicate = (what: string) => new FhirError(409, 'duplicate', what);

/**
 * INT_R02: the SAS platform creates, updates and deactivates the accounts of its regulators here.
 * POST creates (409 when the identifier or the e-mail is already an account's); PUT
 * `?identifier=system|value` updates the account that identifier names, or creates it (idempotent:
 * the same PUT twice changes nothing more). The account is a `regulator`, its password drawn at
 * random (an admin may set one; with an IDNPS `8`+RPPS, Pro Santé Connect signs them in), and keeps
 * the SAS identity: the appointment feed names the regulator by it. `active: false` ends its
 * sessions at once and refuses sign-in; a deactivated account's IDNPS may go to a new account.
 */
@Injectable()
export class RegulatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, body: unknown): Promise<RegulatorRow> {
    const input = await readRegulator(body);
    return this.dataSource.transaction(async (em) => {
      const taken = await em.query(`SELECT 1 FROM app_user WHERE sas_id_system = $1 AND sas_id_value = $2 AND active`, [input.system, input.value]);
      if (taken.length) throw duplicate(`Un compte régulateur existe déjà pour ${input.system}|${input.value} : modifiez-le par PUT Practitioner?identifier=…`);
      const row = await this.insert(em, input);
      await this.audit.record(principal, 'create', 'user', row.id, em);
      return row;
    });
  }

  /** `created`: whether the PUT made a new account (201) rather than updating one (200). */
  async upsert(principal: Principal, identifierParam: string | undefined, body: unknown): Promise<{ row: RegulatorRow; created: boolean }> {
    const tokens = parseIdentifierTokens(identifierParam);
    if (tokens.length !== 1) throw new FhirError(400, 'invalid', 'PUT Practitioner?identifier= : un seul identifiant');
    const [target] = tokens;
    const input = await readRegulator(body);
    return this.dataSource.transaction(async (em) => {
      // The account this identifier names: the active one, else the last deactivated. The SAS's test
      // kit sometimes labels a UUID with the IDNPS system: the value alone then decides.
      const [found] = await em.query(
        `SELECT id FROM app_user
          WHERE role = 'regulator' AND sas_id_value = $2 AND ($1::text IS NULL OR sas_id_system = $1 OR NOT EXISTS (
                SELECT 1 FROM app_user x WHERE x.role = 'regulator' AND x.sas_id_value = $2 AND x.sas_id_system = $1))
          ORDER BY active DESC, updated_at DESC LIMIT 1 FOR UPDATE`,
        [target.system, target.value],
      );
      if (!found) {
        const row = await this.insert(em, input);
        await this.audit.record(principal, 'create', 'user', row.id, em);
        return { row, created: true };
      }
      const row = await this.update(em, found.id, input);
      await this.audit.record(principal, 'update', 'user', row.id, em);
      return { row, created: false };
    });
  }

  /** A SAS regulator by our id (FHIR read). */
  async byId(id: string): Promise<RegulatorRow | null> {
    if (!isUUID(id)) return null;
    const [row] = await this.dataSource.query(`SELECT ${REGULATOR_COLUMNS} FROM app_user WHERE id = $1 AND role = 'regulator' AND sas_id_value IS NOT NULL`, [id]);
    return row ?? null;
  }

  /** SAS regulators by identifier (FHIR search). */
  async byIdentifiers(tokens: Array<{ system: string | null; value: string }>): Promise<RegulatorRow[]> {
    return this.dataSource.query(
      `SELECT ${REGULATOR_COLUMNS} FROM app_user u JOIN unnest($1::text[], $2::text[]) AS t(system, value)
          ON u.sas_id_value = t.value AND (t.system IS NULL OR u.sas_id_system = t.system)
        WHERE u.role = 'regulator' ORDER BY u.active DESC, u.updated_at DESC`,
      [tokens.map((t) => t.system), tokens.map((t) => t.value)],
    );
  }

  private async insert(em: EntityManager, input: RegulatorInput): Promise<RegulatorRow> {
    await this.freeIdentity(em, input, null);
    const password = await argon2.hash(randomBytes(32).toString('base64url'));
    try {
      const [row] = await em.query(
        `INSERT INTO app_user (email, password_hash, role, first_name, last_name, sas_id_system, sas_id_value, active, rpps)
         VALUES ($1, $2, 'regulator', $3, $4, $5, $6, $7, $8) RETURNING ${REGULATOR_COLUMNS}`,
        [input.email, password, input.given, input.family, input.system, input.value, input.active, await this.rppsFor(em, input, null)],
      );
      return row;
    } catch (e) {
      throw this.conflict(e, input);
    }
  }

  private async update(em: EntityManager, id: string, input: RegulatorInput): Promise<RegulatorRow> {
    await this.freeIdentity(em, input, id);
    try {
      // A deactivation (or a new identity) ends the account's sessions: token_version moves.
      const [row] = await updateReturning<RegulatorRow>(
        em,
        `UPDATE app_user SET email = $2, first_name = $3, last_name = $4, sas_id_system = $5, sas_id_value = $6, active = $7, rpps = $8,
                token_version = token_version + CASE WHEN active AND NOT $7 OR sas_id_value IS DISTINCT FROM $6 THEN 1 ELSE 0 END, updated_at = now()
          WHERE id = $1 RETURNING ${REGULATOR_COLUMNS}`,
        [id, input.email, input.given, input.family, input.system, input.value, input.active, await this.rppsFor(em, input, id)],
      );
      return row;
    } catch (e) {
      throw this.conflict(e, input);
    }
  }

  /**
   * An identity given to an active account (the SAS gives a departed regulator's IDNPS to a new
   * account): the deactivated accounts that carried it keep it (the appointments they made are
   * still reported under it; only one active account may hold it), but give up its RPPS, by which
   * Pro Santé Connect signs the new one in.
   */
  private async freeIdentity(em: EntityManager, input: RegulatorInput, self: string | null): Promise<void> {
    if (!input.active || !input.rpps) return;
    await em.query(`UPDATE app_user SET rpps = NULL, updated_at = now() WHERE rpps = $1 AND NOT active AND role = 'regulator' AND id IS DISTINCT FROM $2::uuid`, [input.rpps, self]);
  }

  /** The RPPS the account is signed in by through Pro Santé Connect, unless a practitioner or another account already carries it. */
  private async rppsFor(em: EntityManager, input: RegulatorInput, self: string | null): Promise<string | null> {
    if (!input.rpps) return null;
    const [held] = await em.query(
      `SELECT 1 FROM practitioner WHERE rpps = $1 UNION ALL SELECT 1 FROM app_user WHERE rpps = $1 AND id IS DISTINCT FROM $2::uuid`,
      [input.rpps, self],
    );
    return held ? null : input.rpps;
  }

  private conflict(e: unknown, input: RegulatorInput): unknown {
    if (!violatesUnique(e)) return e;
    if (violatesUnique(e, 'app_user_email_uq')) return duplicate(`Un autre compte utilise déjà l’adresse ${input.email}`);
    if (violatesUnique(e, 'app_user_sas_id_uq')) return duplicate(`Un autre compte régulateur actif porte déjà l’identifiant ${input.system}|${input.value}`);
    return duplicate('Ce compte existe déjà');
  }
}
