import type { Bundle, Resource } from 'fhir/r4';
import { emptyElements } from './fhir-validation';

/**
 * The SAS guide's rules for an INT_R04 answer that the FHIR validator cannot check (what the
 * ANS's test kit checks, per its source: lib/sas_test_kit/aggregation/…), as a list of problems
 * ([] when none). `sent`: the query string the search was made with.
 */
const P = {
  bundle: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator',
  Slot: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator',
  Schedule: 'http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur',
  Practitioner: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerAgregateur',
  PractitionerRole: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerRoleExerciceAgregateur',
  Location: 'http://sas.fr/fhir/StructureDefinition/FrLocationAgregateur',
  HealthcareService: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-healthcareservice-aggregator',
  Organization: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-organization-aggregator',
} as Record<string, string>;
const TRE_R314 = 'https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau';
const TRE_R66 = 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const R5_EXT = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType';
/** `agg-psindiv@45`: `YYYY-MM-DDTHH:MM:SS.000+0X:00`, never Z. */
const SAS_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000[+-]\d{2}:00$/;

/** The query as a sorted multiset of decoded `key=value` (a raw `+` kept a plus sign, as the façade reads it). */
export const queryOf = (url: string) =>
  url.slice(url.indexOf('?') + 1).split('&').filter(Boolean).map((p) => {
    const i = p.indexOf('=');
    return `${decodeURIComponent(p.slice(0, i))}=${decodeURIComponent(p.slice(i + 1))}`;
  }).sort();

export function sasBundleProblems(bundle: Bundle, sent: string): string[] {
  const out: string[] = [];
  const fail = (m: string) => out.push(m);
  out.push(...emptyElements(bundle).map((p) => `élément vide : ${p}`));
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'searchset') fail('pas un Bundle searchset');
  if (!bundle.meta?.profile?.includes(P.bundle)) fail('Bundle sans son profil');
  const links = bundle.link ?? [];
  if (links.length !== 1 || links[0].relation !== 'self') fail(`link : exactement un lien self attendu (${links.length})`);
  else if (JSON.stringify(queryOf(links[0].url)) !== JSON.stringify(queryOf(`?${sent}`))) fail(`le lien self ne reprend pas la requête : ${links[0].url}`);
  const entries = bundle.entry ?? [];
  const byRef = new Map<string, Resource>();
  for (const e of entries) {
    const r = e.resource!;
    const key = `${r.resourceType}/${r.id}`;
    if (byRef.has(key)) fail(`${key} apparaît deux fois`);
    byRef.set(key, r);
    if (!/^https?:\/\/[^/]+\/.*/.test(e.fullUrl ?? '') || !e.fullUrl!.endsWith(`/${key}`)) fail(`${key} : fullUrl non absolue ou fausse (${e.fullUrl})`);
    if (e.search?.mode !== (r.resourceType === 'Slot' ? 'match' : 'include')) fail(`${key} : search.mode ${e.search?.mode}`);
    if (!r.meta?.profile?.includes(P[r.resourceType])) fail(`${key} : meta.profile ${r.meta?.profile} au lieu de ${P[r.resourceType]}`);
  }
  const slots = entries.filter((e) => e.resource!.resourceType === 'Slot').map((e) => e.resource as any);
  if (bundle.total !== slots.length) fail(`total ${bundle.total} pour ${slots.length} Slot`);
  const resolves = (ref: string | undefined, type: string) => typeof ref === 'string' && ref.startsWith(`${type}/`) && byRef.has(ref);
  const count = (type: string) => entries.filter((e) => e.resource!.resourceType === type).length;
  const included = (type: string) => count(type) > 0;
  for (const s of slots) {
    const k = `Slot/${s.id}`;
    if (s.status !== 'free') fail(`${k} : status ${s.status}`);
    if (!SAS_INSTANT.test(s.start) || !SAS_INSTANT.test(s.end)) fail(`${k} : dates ${s.start} ${s.end} hors format SAS`);
    if (!(Date.parse(s.start) < Date.parse(s.end))) fail(`${k} : start après end`);
    if (Date.parse(s.start) < Date.now() - 60_000) fail(`${k} : commence dans le passé`);
    if (included('Schedule') && !resolves(s.schedule?.reference, 'Schedule')) fail(`${k} : schedule ${s.schedule?.reference} absent du Bundle`);
    const security: string[] = (s.meta?.security ?? []).map((c: any) => (c.system === TRE_R314 ? c.code : `?${c.system}`));
    if (!security.length || security.some((c) => !['PUBLIC', 'PRO', 'SNP', 'CPTS'].includes(c))) fail(`${k} : meta.security ${security}`);
    const types = (s.serviceType ?? []).filter((t: any) => t.coding?.some((c: any) => c.system === ACT_CODE));
    if (types.length !== 1 || !['AMB', 'HH', 'VR'].includes(types[0].coding[0].code) || types[0].extension) fail(`${k} : type de consultation ${JSON.stringify(types)}`);
    if (security.includes('CPTS')) {
      const cpts = (s.serviceType ?? []).filter((t: any) => t.coding?.some((c: any) => c.system === TRE_R66 && c.code === '604'));
      if (!cpts.length) fail(`${k} : pas de serviceType 604 (CPTS)`);
      for (const t of cpts) {
        const ref = t.extension?.find((x: any) => x.url === R5_EXT)?.valueReference?.reference;
        if (!ref?.startsWith('HealthcareService/') || (included('HealthcareService') && !resolves(ref, 'HealthcareService'))) fail(`${k} : extension serviceType vers ${ref}`);
      }
    }
    if (s.appointmentType?.coding?.[0]?.code !== 'ROUTINE') fail(`${k} : appointmentType`);
    if (!/^https?:\/\//.test(s.comment ?? '')) fail(`${k} : comment (URL de l’agenda) absente`);
  }
  for (const e of entries) {
    const r = e.resource as any;
    const k = `${r.resourceType}/${r.id}`;
    if (r.resourceType === 'Schedule') {
      const refs: string[] = (r.actor ?? []).map((a: any) => a.reference);
      if (refs.length !== 2 || !refs.some((x) => x.startsWith('Practitioner/')) || !refs.some((x) => x.startsWith('PractitionerRole/'))) fail(`${k} : actor ${refs}`);
      if (included('Practitioner') && !refs.every((x) => byRef.has(x))) fail(`${k} : acteurs absents du Bundle`);
    }
    if (r.resourceType === 'Practitioner') {
      const id = r.identifier?.find((i: any) => i.system === 'urn:oid:1.2.250.1.71.4.2.1');
      if (!/^8[0-9]{11}$/.test(id?.value ?? '') || id.type?.coding?.[0]?.code !== 'IDNPS') fail(`${k} : identifiant IDNPS ${JSON.stringify(id)}`);
    }
    if (r.resourceType === 'PractitionerRole') {
      if (!resolves(r.practitioner?.reference, 'Practitioner')) fail(`${k} : practitioner ${r.practitioner?.reference}`);
      const contained = r.contained ?? [];
      if (contained.length !== 1 || contained[0].resourceType !== 'Location') fail(`${k} : une Location contenue attendue`);
      else {
        const loc = contained[0];
        if (r.location?.[0]?.reference !== `#${loc.id}`) fail(`${k} : location ${r.location?.[0]?.reference}`);
        if (!loc.meta?.profile?.includes(P.Location)) fail(`${k} : profil de la Location`);
        if (loc.address?.line?.length !== 1 || !loc.address.city || !/^[0-9]{5}$/.test(loc.address.postalCode ?? '')) fail(`${k} : adresse ${JSON.stringify(loc.address)}`);
      }
      for (const t of r.telecom ?? []) if (t.system === 'phone' && !/^\+(33|262|590|596|594)\d{9}$/.test(t.value)) fail(`${k} : téléphone ${t.value}`);
    }
    if (r.resourceType === 'HealthcareService' && !resolves(r.providedBy?.reference, 'Organization') && included('Organization')) fail(`${k} : providedBy ${r.providedBy?.reference}`);
    if (r.resourceType === 'Organization') {
      const id = r.identifier ?? [];
      if (id.length !== 1 || id[0].system !== 'urn:oid:1.2.250.1.71.4.2.2' || !/^1[0-9]{9}$/.test(id[0].value) || !id[0].type?.coding?.some((c: any) => c.code === 'IDNST')) fail(`${k} : identifiant FINESS ${JSON.stringify(id)}`);
    }
  }
  if (included('HealthcareService') && included('Organization') && count('HealthcareService') !== count('Organization')) fail('autant de HealthcareService que d’Organization attendu');
  return out;
}
