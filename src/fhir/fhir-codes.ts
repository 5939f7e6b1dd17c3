/**
 * Systems, codes and profiles of the SAS guide (ANS, « Service d'Accès aux Soins », FHIR R4,
 * versions 1.1.0 and 1.2.0): what our resources must carry for the SAS platform to read them.
 * docs/sas.md explains each.
 */

/** Person identifiers (IDNPS: `8`+RPPS, `0`+ADELI). */
export const IDNPS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
/** Structure identifiers (IDNST: `1`+FINESS, `3`+SIRET). */
export const IDNST_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';
/** The SAS platform's own identifiers (its regulators' UUIDs, `meta.source` of what it sends). */
export const SAS_SYSTEM = 'urn:oid:1.2.250.1.213.3.6';
/** Identifier types (IDNPS, INTRN, IDNST). */
export const FR_V2_0203 = 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203';
/** Identifier types of places (INTRN: the editor's own). */
export const LOCATION_IDENTIFIER_TYPE = 'http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type';
/** The Organization's IDNST type: guide 1.1.0 and 1.2.0 fix different systems, so both are sent. */
export const IDNST_TYPE_1_1 = LOCATION_IDENTIFIER_TYPE;
export const IDNST_TYPE_1_2 = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

export const TRE_R314 = 'https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau';
export const TRE_R66 = 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement';
export const TRE_R38 = 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const V2_0276 = 'http://terminology.hl7.org/CodeSystem/v2-0276';
/** TRE_R66 category of a CPTS. */
export const CPTS_CATEGORY = '604';
/** The R5 Slot.serviceType extension that points at the CPTS's HealthcareService. */
export const SLOT_SERVICE_TYPE_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType';
export const APPOINTMENT_OPERATOR_EXTENSION = 'http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator';

const IG = 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition';
export const PROFILES = {
  bundle: `${IG}/sas-cpts-bundle-aggregator`,
  slot: `${IG}/sas-cpts-slot-aggregator`,
  schedule: 'http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur',
  practitioner: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerAgregateur',
  practitionerRole: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerRoleExerciceAgregateur',
  location: 'http://sas.fr/fhir/StructureDefinition/FrLocationAgregateur',
  healthcareService: `${IG}/sas-cpts-healthcareservice-aggregator`,
  organization: `${IG}/sas-cpts-organization-aggregator`,
  regulator: `${IG}/FrPractitionerRegul`,
  appointment: 'http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS',
} as const;

/** Our modality → the SAS's type of consultation (v3-ActCode). */
export const CONSULTATION_TYPE: Record<string, string> = { in_person: 'AMB', home_visit: 'HH', teleconsultation: 'VR' };

/** The guide's CapabilityStatement for a CPTS agenda manager, which ours instantiates. */
export const CPTS_CAPABILITY = 'https://interop.esante.gouv.fr/ig/fhir/sas/CapabilityStatement/SAS-GestionnaireAgenda-CPTS';
export const STRUCTURE_CAPABILITY = 'https://interop.esante.gouv.fr/ig/fhir/sas/CapabilityStatement/SAS-GestionnaireStructure';
