import { Injectable, Logger, Optional } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'fs';
import { DataSource } from 'typeorm';
import { NotFoundError, UnprocessableError } from '../errors/domain-errors';
import { Geocoder } from './geocoder';
import { INSEE_COMMUNE_PATTERN } from './insee';

export interface GeoPoint {
  lat: number;
  lon: number;
}

interface OfficialCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
}

/** Header names accepted for the coordinates file: our demo CSV and data.gouv.fr's "communes de France" file. */
const COLUMN_ALIASES = {
  code: ['insee_code', 'code_insee', 'code_commune_insee', 'code_commune', 'com', 'code'],
  lat: ['lat', 'latitude', 'latitude_centre', 'latitude_mairie', 'centre_lat'],
  lon: ['lon', 'lng', 'longitude', 'longitude_centre', 'longitude_mairie', 'centre_lon'],
};

/** A coordinate cell as a number; blank cells are unknown, not 0. Accepts a decimal comma. */
const coordinate = (cell: string | undefined) => (cell && cell.trim() ? Number(cell.trim().replace(',', '.')) : NaN);

@Injectable()
export class CommunesService {
  private readonly logger = new Logger(CommunesService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly geocoder?: Geocoder,
  ) {}

  /** Loads every current French commune (code, name, postcodes) from @etalab/decoupage-administratif, once. */
  async ensureOfficialList(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM commune`);
    if (count >= 30000) return 0;
    // Read, not require()d: require keeps the parsed file (8.6 MB of JSON, tens of MB of objects)
    // in its cache for the life of the process.
    const all: OfficialCommune[] = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'));
    const current = all.filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal');
    const chunk = 2000;
    for (let i = 0; i < current.length; i += chunk) {
      const part = current.slice(i, i + chunk);
      await this.dataSource.query(
        `INSERT INTO commune (code, name, department, postcodes)
         SELECT code, name, department, coalesce(string_to_array(nullif(postcodes, ''), ','), '{}')::varchar[]
           FROM unnest($1::varchar[], $2::text[], $3::varchar[], $4::text[]) AS t(code, name, department, postcodes)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, department = EXCLUDED.department, postcodes = EXCLUDED.postcodes`,
        [part.map((c) => c.code), part.map((c) => c.nom), part.map((c) => c.departement ?? null), part.map((c) => (c.codesPostaux ?? []).join(','))],
      );
    }
    this.logger.log({ communes: current.length }, 'official commune list loaded');
    return current.length;
  }

  /**
   * Reads a CSV of commune centres (INSEE code, latitude, longitude; extra columns ignored) and stores the
   * coordinates. Communes absent from the official list are added with the file's name and postcode.
   */
  async importCoordinates(file: string): Promise<{ updated: number; skipped: number }> {
    const text = readFileSync(file, 'utf8');
    const delimiter = text.split('\n').find((l) => l.trim() && !l.startsWith('#'))?.includes(';') ? ';' : ',';
    const rows: Record<string, string>[] = parse(text, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), comment: '#', delimiter, skip_empty_lines: true, bom: true, relax_column_count: true });
    if (!rows.length) return { updated: 0, skipped: 0 };
    const header = Object.keys(rows[0]);
    const pick = (aliases: string[]) => aliases.find((a) => header.includes(a));
    const [codeCol, latCol, lonCol] = [pick(COLUMN_ALIASES.code), pick(COLUMN_ALIASES.lat), pick(COLUMN_ALIASES.lon)];
    if (!codeCol || !latCol || !lonCol) {
      throw new Error(`Colonnes introuvables dans ${file} : il faut un code INSEE (${COLUMN_ALIASES.code.join('|')}), une latitude et une longitude`);
    }
    const nameCol = pick(['name', 'nom', 'nom_standard', 'nom_commune', 'libelle']);
    const postcodeCol = pick(['postcode', 'code_postal', 'codes_postaux']);
    const good = rows
      .map((r) => ({ code: r[codeCol]?.trim().toUpperCase(), lat: coordinate(r[latCol]), lon: coordinate(r[lonCol]), name: nameCol ? r[nameCol] : null, postcode: postcodeCol ? r[postcodeCol] : null }))
      .filter((r) => r.code && INSEE_COMMUNE_PATTERN.test(r.code) && Number.isFinite(r.lat) && Number.isFinite(r.lon) && Math.abs(r.lat) <= 90 && Math.abs(r.lon) <= 180);
    const chunk = 5000;
    for (let i = 0; i < good.length; i += chunk) {
      const part = good.slice(i, i + chunk);
      await this.dataSource.query(
        `INSERT INTO commune (code, name, postcodes, lat, lon)
         SELECT code, coalesce(name, code), CASE WHEN postcode ~ '^[0-9]{5}$' THEN ARRAY[postcode]::varchar[] ELSE '{}' END, lat, lon
           FROM unnest($1::varchar[], $2::text[], $3::text[], $4::float8[], $5::float8[]) AS t(code, name, postcode, lat, lon)
         ON CONFLICT (code) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon`,
        [part.map((r) => r.code), part.map((r) => r.name), part.map((r) => r.postcode), part.map((r) => r.lat), part.map((r) => r.lon)],
      );
    }
    return { updated: good.length, skipped: rows.length - good.length };
  }

  async byCode(code: string): Promise<{ code: string; name: string; postcodes: string[]; lat: number | null; lon: number | null } | null> {
    const rows = await this.dataSource.query(`SELECT code, name, postcodes, lat, lon FROM commune WHERE code = $1`, [code]);
    return rows[0] ?? null;
  }

  /**
   * The centre of a commune: known, or asked once of the national geocoder and kept; 422 when it
   * cannot be had, never a guessed point.
   */
  async centreOf(code: string): Promise<GeoPoint> {
    const commune = await this.byCode(code);
    if (!commune) throw new UnprocessableError('commune_unknown', `La commune ${code} n'existe pas dans le code officiel géographique`);
    const centre = await this.locate(commune);
    if (!centre) {
      throw new UnprocessableError(
        'commune_location_unknown',
        `Nous ne savons pas situer ${commune.name} pour le moment : choisissez une commune voisine (ou la ville du cabinet) et réessayez.`,
      );
    }
    return centre;
  }

  /** The centre of the commune(s) of a postcode (their mean when several share it), each known or asked of the geocoder. */
  async centreOfPostcode(postcode: string): Promise<GeoPoint> {
    const rows: Array<{ code: string; name: string; lat: number | null; lon: number | null }> = await this.dataSource.query(
      `SELECT code, name, lat, lon FROM commune WHERE postcodes @> ARRAY[$1]::varchar[] ORDER BY code LIMIT 20`,
      [postcode],
    );
    if (!rows.length) throw new NotFoundError(`Code postal ${postcode}`);
    const known = (await Promise.all(rows.map((r) => this.locate(r)))).filter((p): p is GeoPoint => p !== null);
    if (!known.length) {
      throw new UnprocessableError('commune_location_unknown', `Nous ne savons pas situer le code postal ${postcode} pour le moment : choisissez une commune voisine par son nom et réessayez.`);
    }
    return { lat: known.reduce((s, r) => s + r.lat, 0) / known.length, lon: known.reduce((s, r) => s + r.lon, 0) / known.length };
  }

  /** A commune's centre: the one kept, else the geocoder's (kept for next time), else null. */
  private async locate(c: { code: string; name: string; lat: number | null; lon: number | null }): Promise<GeoPoint | null> {
    if (c.lat !== null && c.lon !== null) return { lat: c.lat, lon: c.lon };
    const found = await this.geocoder?.commune(c.code, c.name);
    if (!found) return null;
    await this.dataSource.query(`UPDATE commune SET lat = $2, lon = $3 WHERE code = $1 AND lat IS NULL`, [c.code, found.lat, found.lon]);
    this.logger.log({ commune: c.code }, 'commune centre from the geocoder');
    return found;
  }

  /** A practice's place: its address as the geocoder finds it in its commune, else null (the commune's centre then serves). */
  async locateAddress(address: string, communeCode: string): Promise<GeoPoint | null> {
    return (await this.geocoder?.address(address, communeCode)) ?? null;
  }

  /** Autocomplete: communes whose name starts with q, or whose postcode or INSEE code is q. */
  async search(q: string): Promise<Array<{ code: string; name: string; postcodes: string[]; hasLocation: boolean }>> {
    const folded = q.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    return this.dataSource.query(
      `SELECT code, name, postcodes, lat IS NOT NULL AS "hasLocation" FROM commune
        WHERE code = upper($1) OR postcodes @> ARRAY[$1]::varchar[] OR lower(name) LIKE $2 || '%'
           OR translate(lower(name), 'àâäéèêëîïôöùûüçœ', 'aaaeeeeiioouuuco') LIKE $3 || '%'
        ORDER BY (lat IS NULL), length(name), name LIMIT 10`,
      [q, q.toLowerCase(), folded],
    );
  }
}
