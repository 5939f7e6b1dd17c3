import { DateTime } from 'luxon';
import { FhirError } from './fhir-errors';
import { IDNPS_SYSTEM } from './fhir-codes';

const ZONE = 'Europe/Paris';

/**
 * The query string as sent, parameter by parameter, in order. Decoded with decodeURIComponent,
 * which leaves a raw `+` a plus sign: the SAS guide's own URLs carry offsets such as `+02:00`
 * unencoded (a form decoder would read a space). 400 on a malformed escape.
 */
export function rawQueryParams(url: string): Array<[string, string]> {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const out: Array<[string, string]> = [];
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      out.push([decodeURIComponent(k), decodeURIComponent(v)]);
    } catch {
      throw new FhirError(400, 'invalid', `Paramètre mal encodé dans l’adresse : ${part.slice(0, 80)}`);
    }
  }
  return out;
}

/** The query string exactly as received (for the Bundle's self link). */
export const rawQueryString = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
};

/** A FHIR date or dateTime of any precision (year … milliseconds), with or without an offset. */
const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The instants a FHIR date parameter covers: [start, end). A value without an offset is Paris
 * local time (FHIR: the server's zone; the ANS kit sends them so); a space where the offset's `+`
 * belongs is read as `+` (a `+` decoded as a form would). A coarser precision covers its whole
 * period (le2026-12-02 is up to the end of that day). Null when it is not a date.
 */
export function parseFhirDateRange(value: string): { start: DateTime; end: DateTime } | null {
  const v = value.replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = FHIR_DATE.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const zone = offset === undefined ? ZONE : offset === 'Z' ? 'UTC' : `UTC${offset}`;
  const fields = {
    year: +y, month: mo ? +mo : 1, day: d ? +d : 1, hour: h ? +h : 0, minute: mi ? +mi : 0, second: s ? +s : 0,
    millisecond: frac ? Math.floor(+`0.${frac}` * 1000) : 0,
  };
  // A calendar that exists (no 31 February, no 25:00), checked where no clock change interferes.
  const calendar = DateTime.fromObject(fields, { zone: 'UTC' });
  if (!calendar.isValid || calendar.month !== fields.month || calendar.day !== fields.day || calendar.hour !== fields.hour || calendar.minute !== fields.minute) return null;
  const start = DateTime.fromObject(fields, { zone });
  if (!start.isValid) return null;
  const unit = frac ? 'millisecond' : s ? 'second' : mi ? 'minute' : d ? 'day' : mo ? 'month' : 'year';
  return { start, end: start.plus({ [`${unit}s`]: 1 }) };
}

/** The longest window one search may cover (the SAS asks for two or three days). */
export const MAX_SEARCH_DAYS = 31;
/** At most this many practitioners per search (the SAS sends 1 to 25). */
export const MAX_IDENTIFIERS = 25;

export interface SlotSearch {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** RPPS numbers (11 digits) of the practitioners asked for; identifiers of another kind match nobody. */
  rpps: string[];
  includes: {
    schedule: boolean;
    actors: boolean;
    healthcareService: boolean;
    organization: boolean;
  };
}

const IDENTIFIER_PARAM = 'schedule.actor:Practitioner.identifier';

/**
 * `GET /fhir/Slot`: the SAS's INT_R04 search. `start` twice (ge, le; both inclusive), 1 to 25
 * practitioner identifiers (`urn:oid:1.2.250.1.71.4.2.1|8<RPPS>`, or `0<ADELI>`), `status=free`,
 * the four includes; `_count` and `_format` accepted and ignored (every match is answered). 400
 * (OperationOutcome) for anything malformed or missing.
 */
export function parseSlotSearch(params: Array<[string, string]>): SlotSearch {
  let ge: DateTime | undefined;
  let le: DateTime | undefined;
  let identifiers: string | undefined;
  const include = new Set<string>();
  const iterate = new Set<string>();
  for (const [key, value] of params) {
    switch (key) {
      case 'start': {
        const prefix = value.slice(0, 2);
        if (prefix !== 'ge' && prefix !== 'le') throw new FhirError(400, 'invalid', `start=${value.slice(0, 40)} : seuls les préfixes ge et le sont acceptés (start=ge…&start=le…)`);
        const range = parseFhirDateRange(value.slice(2));
        if (!range) throw new FhirError(400, 'invalid', `start=${value.slice(0, 40)} : date invalide (attendu par ex. ge2026-11-30T10:00:00.000+01:00)`);
        if (prefix === 'ge') {
          if (ge) throw new FhirError(400, 'invalid', 'start=ge… est donné deux fois');
          ge = range.start;
        } else {
          if (le) throw new FhirError(400, 'invalid', 'start=le… est donné deux fois');
          le = range.end;
        }
        break;
      }
      case IDENTIFIER_PARAM:
        if (identifiers !== undefined) throw new FhirError(400, 'invalid', `${IDENTIFIER_PARAM} est donné deux fois : séparez les identifiants par des virgules`);
        identifiers = value;
        break;
      case 'status':
        if (!value.split(',').includes('free')) throw new FhirError(400, 'not-supported', `status=${value.slice(0, 40)} : seuls les créneaux libres (status=free) sont publiés`);
        break;
      case '_include':
        include.add(value);
        break;
      case '_include:iterate':
        iterate.add(value);
        break;
      case '_count':
        if (!/^\d{1,6}$/.test(value)) throw new FhirError(400, 'invalid', '_count doit être un nombre entier');
        break;
      default:
        // _format, _sort and parameters we do not know: ignored (FHIR's lenient handling).
        break;
    }
  }
  if (!ge || !le) throw new FhirError(400, 'required', 'Donnez la fenêtre de recherche : start=ge<date>&start=le<date>');
  if (le <= ge) throw new FhirError(400, 'invalid', 'start=le… doit être après start=ge…');
  if (le.diff(ge, 'days').days > MAX_SEARCH_DAYS) throw new FhirError(400, 'too-costly', `La fenêtre de recherche est limitée à ${MAX_SEARCH_DAYS} jours`);
  if (identifiers === undefined || identifiers.trim() === '') throw new FhirError(400, 'required', `Donnez les praticiens : ${IDENTIFIER_PARAM}=${IDNPS_SYSTEM}|8<RPPS>,…`);
  const tokens = identifiers.split(',');
  if (tokens.length > MAX_IDENTIFIERS) throw new FhirError(400, 'too-costly', `Au plus ${MAX_IDENTIFIERS} praticiens par recherche (${tokens.length} reçus)`);
  const rpps = new Set<string>();
  for (const token of tokens) {
    const bar = token.indexOf('|');
    const system = bar < 0 ? '' : token.slice(0, bar);
    const value = (bar < 0 ? token : token.slice(bar + 1)).trim();
    if (system && system !== IDNPS_SYSTEM) throw new FhirError(400, 'invalid', `Identifiant ${token.slice(0, 80)} : système attendu ${IDNPS_SYSTEM} (IDNPS)`);
    if (!value) throw new FhirError(400, 'invalid', `Identifiant vide dans ${IDENTIFIER_PARAM}`);
    // 8 + RPPS; 0 + ADELI (no such practitioner here: not found, not an error).
    if (/^8\d{11}$/.test(value)) rpps.add(value.slice(1));
  }
  return {
    from: ge.toJSDate(),
    to: le.toJSDate(),
    rpps: [...rpps],
    includes: {
      schedule: include.has('Slot:schedule'),
      actors: include.has('Slot:schedule') && (iterate.has('Schedule:actor') || include.has('Schedule:actor')),
      healthcareService: include.has('Slot:service-type-reference'),
      organization: include.has('Slot:service-type-reference') && (iterate.has('HealthcareService:organization') || include.has('HealthcareService:organization')),
    },
  };
}

/** `identifier=system|value[,…]` of a Practitioner search: the pairs asked for. */
export function parseIdentifierTokens(value: string | undefined, param = 'identifier'): Array<{ system: string | null; value: string }> {
  if (value === undefined || value.trim() === '') throw new FhirError(400, 'required', `Donnez ${param}=<système>|<valeur>`);
  const tokens = value.split(',');
  if (tokens.length > MAX_IDENTIFIERS) throw new FhirError(400, 'too-costly', `Au plus ${MAX_IDENTIFIERS} identifiants à la fois`);
  return tokens.map((t) => {
    const bar = t.indexOf('|');
    const v = (bar < 0 ? t : t.slice(bar + 1)).trim();
    if (!v) throw new FhirError(400, 'invalid', `Identifiant vide dans ${param}`);
    return { system: bar < 0 || bar === 0 ? null : t.slice(0, bar), value: v };
  });
}
