/**
 * Patient and practice notifications for SNP bookings, as pure text (no I/O).
 * SMS are GSM-7 and at most 2 segments; they never carry the booking reason or the birth date
 * (the facts below do not even hold them): an SMS can be read by anyone near the phone.
 */
import { DateTime } from 'luxon';
import { smsSegments, toGsm7 } from './sms-segments';

export interface BookingFacts {
  start: Date;
  modality: 'in_person' | 'teleconsultation' | 'home_visit';
  practitioner: { firstName: string; lastName: string };
  practice: { name: string; address?: string | null; phone?: string | null };
  patient: { firstName: string | null; lastName: string | null; phone?: string | null };
  bookedBy: { role: string };
  cancelReason?: string | null;
}

export interface RequestFacts {
  id: string;
  notAfter: Date;
  createdAt: Date;
  patient: { firstName: string | null; lastName: string | null; phone?: string | null };
}

export type TemplateName =
  | 'booking_confirmed_patient'
  | 'booking_confirmed_practice'
  | 'booking_cancelled_patient'
  | 'booking_cancelled_practice'
  | 'booking_reminder_patient'
  | 'request_unmatched_originator';
type BookingTemplate = Exclude<TemplateName, 'request_unmatched_originator'>;

export interface Message {
  subject: string;
  text: string;
}

export const TEMPLATE_NAMES: readonly TemplateName[] = Object.freeze([
  'booking_confirmed_patient',
  'booking_confirmed_practice',
  'booking_cancelled_patient',
  'booking_cancelled_practice',
  'booking_reminder_patient',
  'request_unmatched_originator',
] as const);

const ZONE = 'Europe/Paris';
const MAX_SMS_SEGMENTS = 2;
const SIGNATURE = 'La CPTS - soins non programmés';
/** Written out rather than taken from ICU: output must not depend on the Node build's locale data. */
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

const pad = (n: number) => String(n).padStart(2, '0');
const paris = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
const hhmm = (t: DateTime) => `${pad(t.hour)}h${pad(t.minute)}`;
/** "lundi 30/03 à 10h30", wall-clock time in Paris whatever the server's zone. */
const when = (d: Date) => {
  const t = paris(d);
  return `${WEEKDAYS[t.weekday - 1]} ${pad(t.day)}/${pad(t.month)} à ${hhmm(t)}`;
};

/**
 * Numbers of the French plan the way they are dialled there (02 37 00 00 00; overseas too: 06 92 12
 * 34 56 for +262 692 12 34 56); any other stays E.164.
 */
function displayPhone(e164?: string | null): string {
  if (!e164) return '';
  const m = /^\+(?:33|262|590|594|596)(\d{9})$/.exec(e164.replace(/\s/g, ''));
  return m ? `0${m[1]}`.replace(/(\d\d)(?=\d)/g, '$1 ') : e164.trim();
}

/** Free text from forms may hold line breaks or runs of spaces that would wreck a one-line SMS. */
const clean = (s?: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
/** A person's name, « Marie DUPONT »; a patient whose identity was erased (right to erasure) stays unnamed. */
const person = (p: { firstName: string | null; lastName: string | null }) =>
  p.lastName === null ? 'patient (identité effacée)' : clean(`${p.firstName ?? ''} ${p.lastName.toLocaleUpperCase('fr-FR')}`);
/** Ends a free-text value as a sentence without doubling its own final punctuation. */
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

const BOOKED_BY: Record<string, string> = {
  secretary: "le secrétariat d'un cabinet de la CPTS",
  regulator: 'la régulation (15)',
  coordinator: 'la coordination',
  admin: "l'administration de la CPTS",
  matching: 'le moteur de la CPTS (demande SNP)',
};

/** Values a template may show; the string fields listed in CUT_ORDER may be shortened to fit an SMS. */
interface BookingValues {
  date: string;
  modality: BookingFacts['modality'];
  practitioner: string;
  practiceName: string;
  address: string;
  practicePhone: string;
  patient: string;
  patientPhone: string;
  bookedBy: string;
  reason: string;
}
interface RequestValues {
  id: string;
  createdAt: string;
  notAfter: string;
  patient: string;
}
interface Draft {
  subject: string;
  lines: string[]; // SMS: joined by spaces; e-mail: one per line. The first one follows "Bonjour,".
}

/** Address goes first, then the practice name; date, time and phone numbers are never cut. */
const BOOKING_CUT_ORDER = ['address', 'practiceName', 'reason', 'practitioner', 'patient'] as const;

const rdv = (sms: boolean) => (sms ? 'RDV' : 'rendez-vous');
const paren = (s: string) => (s ? ` (${s})` : '');
const place = (v: BookingValues) => [v.practiceName, v.address].filter(Boolean).map((s) => `, ${s}`).join('');
const cancelHint = (v: BookingValues) =>
  `Empêchement : prévenez le ${v.practicePhone || 'cabinet'}.`;
const TELE_LINK = 'Le cabinet vous enverra le lien de connexion.';
const MODALITY: Record<BookingFacts['modality'], string> = {
  in_person: 'au cabinet',
  teleconsultation: 'téléconsultation',
  home_visit: 'visite à domicile',
};

const BOOKING: Record<BookingTemplate, (v: BookingValues, sms: boolean) => Draft> = {
  booking_confirmed_patient: (v, sms) => ({
    subject: `SNP : rendez-vous confirmé le ${v.date}`,
    lines: [
      v.modality === 'teleconsultation'
        ? `${sms ? 'RDV de téléconsultation confirmé' : 'votre téléconsultation est confirmée'} le ${v.date} avec le Dr ${v.practitioner}${paren(v.practiceName)}. ${TELE_LINK}`
        : v.modality === 'home_visit'
          ? `${sms ? 'visite à domicile confirmée' : 'votre visite à domicile est confirmée'} le ${v.date} : le Dr ${v.practitioner}${paren(v.practiceName)} viendra chez vous.`
          : `${sms ? 'RDV confirmé' : 'votre rendez-vous est confirmé'} le ${v.date} avec le Dr ${v.practitioner}${place(v)}.`,
      cancelHint(v),
    ],
  }),

  // The practice must be able to call the patient back; the reason stays in the application.
  booking_confirmed_practice: (v, sms) => ({
    subject: `SNP : nouveau rendez-vous le ${v.date}`,
    lines: sms
      ? [
          `nouveau RDV SNP${v.modality === 'in_person' ? '' : ` (${MODALITY[v.modality]})`} le ${v.date} avec le Dr ${v.practitioner} : ${v.patient}, tél. ${v.patientPhone || 'non renseigné'}.`,
          `Pris par ${v.bookedBy}. Motif et détails dans l'application.`,
        ]
      : [
          'un nouveau rendez-vous de soins non programmés (SNP) a été pris.',
          '',
          `Date : ${v.date}`,
          `Praticien : Dr ${v.practitioner}${paren(v.practiceName)}`,
          `Modalité : ${MODALITY[v.modality]}`,
          `Patient : ${v.patient}`,
          `Téléphone du patient : ${v.patientPhone || 'non renseigné'}`,
          `Pris par : ${v.bookedBy}`,
          '',
          "Motif et détails dans l'application.",
        ],
  }),

  // No cancel reason here: it is written for the practice and may say more than the patient should read by SMS.
  booking_cancelled_patient: (v, sms) => ({
    subject: `SNP : rendez-vous du ${v.date} annulé`,
    lines: [
      `votre ${rdv(sms)} du ${v.date} avec le Dr ${v.practitioner}${paren(v.practiceName)} est annulé. Veuillez nous en excuser.`,
      `Pour un autre ${rdv(sms)}, appelez votre cabinet médical. En cas d'urgence vitale, appelez le 15.`,
    ],
  }),

  booking_cancelled_practice: (v, sms) => ({
    subject: `SNP : rendez-vous du ${v.date} annulé`,
    lines: sms
      ? [
          // No cancel reason by SMS (free text that may say something medical): it is in the e-mail and the application.
          `le RDV SNP du ${v.date} avec le Dr ${v.practitioner} (patient : ${v.patient}) est annulé.`,
        ]
      : [
          'le rendez-vous de soins non programmés (SNP) suivant est annulé.',
          '',
          `Date : ${v.date}`,
          `Praticien : Dr ${v.practitioner}${paren(v.practiceName)}`,
          `Patient : ${v.patient}`,
          ...(v.reason ? [`Motif d'annulation : ${v.reason}`] : []),
        ],
  }),

  // The full date, not "today": a reminder 2 h before a 00:30 slot goes the evening before.
  booking_reminder_patient: (v, sms) => ({
    subject: `SNP : rappel de votre rendez-vous le ${v.date}`,
    lines: [
      v.modality === 'teleconsultation'
        ? `rappel : téléconsultation le ${v.date} avec le Dr ${v.practitioner}${paren(v.practiceName)}. ${TELE_LINK}`
        : v.modality === 'home_visit'
          ? `rappel : visite à domicile le ${v.date}, le Dr ${v.practitioner}${paren(v.practiceName)} viendra chez vous.`
          : `rappel : ${rdv(sms)} le ${v.date} avec le Dr ${v.practitioner}${place(v)}.`,
      cancelHint(v),
    ],
  }),
};

const unmatched = (v: RequestValues): Draft => ({
  subject: `SNP : aucun créneau trouvé (demande ${v.id})`,
  lines: [
    `aucun créneau SNP n'a été trouvé pour ${v.patient} (demande du ${v.createdAt}) avant le ${v.notAfter}.`,
    "Merci d'orienter le patient ailleurs : médecin de garde (116 117), ou le 15 en cas d'urgence.",
    `Réf. demande : ${v.id}.`,
  ],
});

export function renderBooking(template: BookingTemplate, facts: BookingFacts, channel: 'sms' | 'email'): Message {
  const build = BOOKING[template];
  if (!build) throw new Error(`Unknown booking template: ${template}`);
  const v: BookingValues = {
    date: when(facts.start),
    modality: facts.modality,
    practitioner: person(facts.practitioner),
    practiceName: clean(facts.practice.name),
    address: clean(facts.practice.address),
    practicePhone: displayPhone(facts.practice.phone),
    patient: person(facts.patient),
    patientPhone: displayPhone(facts.patient.phone),
    bookedBy: BOOKED_BY[facts.bookedBy.role] ?? 'la CPTS',
    reason: clean(facts.cancelReason),
  };
  return finish(v, (x, sms) => build(x, sms), channel, BOOKING_CUT_ORDER);
}

export function renderRequest(template: 'request_unmatched_originator', facts: RequestFacts, channel: 'sms' | 'email'): Message {
  if (template !== 'request_unmatched_originator') throw new Error(`Unknown request template: ${template}`);
  const v: RequestValues = {
    id: clean(facts.id),
    createdAt: when(facts.createdAt),
    notAfter: when(facts.notAfter),
    patient: person(facts.patient),
  };
  return finish(v, unmatched, channel, ['patient']);
}

type StringKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];

function finish<T extends object>(v: T, build: (v: T, sms: boolean) => Draft, channel: 'sms' | 'email', cuts: readonly StringKeys<T>[]): Message {
  if (channel === 'email') {
    const { subject, lines } = build(v, false);
    const [first = '', ...rest] = lines;
    const body = [first.charAt(0).toUpperCase() + first.slice(1), ...rest];
    return { subject, text: ['Bonjour,', '', ...body, '', 'Cordialement,', SIGNATURE].join('\n') };
  }
  // Values are transliterated first so cutting them never splits a surrogate pair or an "oe".
  const gsm = { ...v };
  for (const k of Object.keys(gsm) as (keyof T)[]) if (typeof gsm[k] === 'string') gsm[k] = toGsm7(gsm[k] as string) as T[keyof T];
  // A cut value followed by the sentence's own period would read "....".
  const sms = (x: T) => toGsm7(`Bonjour, ${build(x, true).lines.filter(Boolean).join(' ')}`).replace(/\.{4}/g, '...');
  return { subject: build(v, true).subject, text: sms(fitSms(gsm, sms, cuts)) };
}

/** "12 rue …" → "12 ru..."; length 0 drops the value, which templates then leave out. */
const cut = (s: string, n: number) => (n >= s.length ? s : n <= 0 ? '' : `${s.slice(0, n).trimEnd()}...`);

/**
 * Shortens the cuttable values, in order, just enough for the SMS to fit in MAX_SMS_SEGMENTS.
 * Each value is binary-searched for its longest fitting prefix: the size only grows with it.
 */
function fitSms<T extends object>(v: T, render: (v: T) => string, cuts: readonly StringKeys<T>[]): T {
  const fits = (x: T) => smsSegments(render(x)).segments <= MAX_SMS_SEGMENTS;
  let cur = v;
  for (const key of cuts) {
    if (fits(cur)) break;
    const full = cur[key] as unknown as string;
    const withLen = (n: number): T => ({ ...cur, [key]: cut(full, n) });
    let [lo, hi, best] = [1, full.length - 1, 0];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fits(withLen(mid))) [best, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    cur = withLen(best);
  }
  return cur;
}
