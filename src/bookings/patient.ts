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
  };
}
