import type { Appointment } from 'fhir/r4';
import { APPOINTMENT_OPERATOR_EXTENSION, FR_V2_0203, IDNPS_SYSTEM, PROFILES } from '../fhir/fhir-codes';
import { idnps, parisInstant } from '../fhir/fhir-resources';

/** What one change of one appointment tells the SAS: no patient at all. */
export interface AppointmentFacts {
  bookingId: string;
  status: 'booked' | 'fulfilled' | 'noshow' | 'cancelled';
  start: Date;
  end: Date;
  created: Date;
  /** The GP's RPPS. */
  rpps: string;
  /** The regulator as the SAS knows them (their IDNPS or the SAS's UUID). */
  operator: { system: string; value: string };
}

/** The system of our appointments' identifiers at the SAS. */
export function appointmentIdSystem(config: { SAS_APPOINTMENT_ID_SYSTEM?: string; PUBLIC_URL?: string }): string {
  return config.SAS_APPOINTMENT_ID_SYSTEM ?? `${config.PUBLIC_URL!.replace(/\/+$/, '')}/fhir/sid/rdv`;
}

/**
 * The Appointment of the SAS guide (FrAppointmentSAS) for a booking made from the SAS: our booking's
 * id as identifier (every later PUT names it), the regulator as operator, the GP as the one
 * participant (accepted), the slot's times; never the patient.
 */
export function toFhirAppointment(f: AppointmentFacts, idSystem: string): Appointment {
  return {
    resourceType: 'Appointment',
    meta: { profile: [PROFILES.appointment] },
    extension: [
      {
        url: APPOINTMENT_OPERATOR_EXTENSION,
        valueReference: {
          identifier: { type: { coding: [{ system: FR_V2_0203, code: f.operator.system === IDNPS_SYSTEM ? 'IDNPS' : 'INTRN' }] }, system: f.operator.system, value: f.operator.value },
        },
      },
    ],
    identifier: [{ system: idSystem, value: f.bookingId }],
    status: f.status,
    start: parisInstant(f.start),
    end: parisInstant(f.end),
    created: parisInstant(f.created),
    participant: [{ actor: { identifier: idnps(f.rpps) }, status: 'accepted' }],
  };
}
