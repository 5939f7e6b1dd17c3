import { ValidationFailedError } from '../errors/domain-errors';
/**
 * The patient as answered, from a row with patient_* columns (booking, snp_request). Once
 * anonymised (erasure or retention), only what is not identity remains, and says so.
 */
export function presentPatient(r: any) {
  if (r.anonymised_at) {
    return { anonymised: true, anonymisedAt: r.anonymised_at.toISOString(), communeCode: r.patient_commune_code ?? undefined, hasReferringGp: r.patient_has_referring_gp ?? undefined };
  }
  return {
    firstName: r.patient_first_name,
    lastName: r.patient_last_name,
    birthDate: r.patient_birth_date,
    phone: r.patient_phone,
    email: r.patient_email ?? undefined,
    communeCode: r.patient_commune_code ?? undefined,
    hasReferringGp: r.patient_has_referring_gp ?? undefined,
    referringGpRpps: r.patient_referring_gp_rpps ?? undefined,
  };
}

/**
 * The patient's médecin traitant as given: an RPPS implies they have one; « no médecin traitant »
 * with an RPPS contradicts itself (400, on the RPPS field).
 */
export function referral(p: { hasReferringGp?: boolean; referringGpRpps?: string }): { hasReferringGp?: boolean; referringGpRpps?: string } {
  if (!p.referringGpRpps) return { hasReferringGp: p.hasReferringGp };
  if (p.hasReferringGp === false) {
    const message = 'referringGpRpps est donné alors que hasReferringGp vaut false : le patient a-t-il un médecin traitant ?';
    throw new ValidationFailedError('Requête invalide', [{ field: 'patient.referringGpRpps', messages: [message] }]);
  }
  return { hasReferringGp: true, referringGpRpps: p.referringGpRpps };
}
