import { smsSegments, toGsm7 } from './sms-segments';
import { BookingFacts, RequestFacts, TEMPLATE_NAMES, renderBooking, renderRequest } from './templates';

type BookingTemplate = Parameters<typeof renderBooking>[0];
const BOOKING_TEMPLATES = TEMPLATE_NAMES.filter((t): t is BookingTemplate => t !== 'request_unmatched_originator');

/** Monday 30 March 2026, 10:30 in Paris (already summer time, UTC+2). */
const booking = (over: Partial<BookingFacts> = {}): BookingFacts => ({
  start: new Date('2026-03-30T08:30:00Z'),
  modality: 'in_person',
  practitioner: { firstName: 'Hélène', lastName: 'Lefèvre' },
  practice: { name: 'Maison de santé des Tilleuls', address: '12 rue de la République, 28000 Chartres', phone: '+33237000000' },
  patient: { firstName: 'Marie', lastName: 'Dupont', phone: '+33612345678' },
  bookedBy: { role: 'regulator' },
  cancelReason: null,
  ...over,
});

const request = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  id: '3f2b8c1e-8d4a-4e7b-9a51-0c6f2d9e7a10',
  createdAt: new Date('2026-03-30T06:15:00Z'),
  notAfter: new Date('2026-03-31T06:15:00Z'),
  patient: { firstName: 'Marie', lastName: 'Dupont', phone: '+33612345678' },
  ...over,
});

/** An SMS must stay GSM-7 (toGsm7 leaves it unchanged) and within 2 segments. */
const expectSendable = (text: string) => {
  const size = smsSegments(text);
  expect(size.encoding).toBe('GSM-7');
  expect(toGsm7(text)).toBe(text);
  expect(size.segments).toBeGreaterThanOrEqual(1);
  expect(size.segments).toBeLessThanOrEqual(2);
};

const ABSURD = {
  name: 'Centre de santé pluriprofessionnel universitaire '.repeat(12),
  address: 'Bâtiment C, escalier 4, 3e étage, porte gauche, 128 boulevard du Maréchal Foch, ZAC des Longues Raies, '.repeat(20),
};

describe('TEMPLATE_NAMES', () => {
  it('lists the six templates once each', () => {
    expect([...TEMPLATE_NAMES].sort()).toEqual([
      'booking_cancelled_patient',
      'booking_cancelled_practice',
      'booking_confirmed_patient',
      'booking_confirmed_practice',
      'booking_reminder_patient',
      'request_unmatched_originator',
    ]);
  });
});

describe('dates', () => {
  it('shows the Paris wall-clock time with a French weekday', () => {
    expect(renderBooking('booking_confirmed_patient', booking(), 'sms').subject).toBe('SNP : rendez-vous confirmé le lundi 30/03 à 10h30');
    // 31 December 23:30 UTC is already New Year's Day in Paris (winter time, UTC+1).
    const nye = renderBooking('booking_confirmed_patient', booking({ start: new Date('2026-12-31T23:30:00Z') }), 'sms');
    expect(nye.text).toContain('le vendredi 01/01 à 00h30');
  });

  it('handles the spring-forward day (29 March 2026)', () => {
    const m = renderBooking('booking_confirmed_patient', booking({ start: new Date('2026-03-29T01:30:00Z') }), 'sms');
    expect(m.text).toContain('dimanche 29/03 à 03h30');
    expect(renderBooking('booking_confirmed_patient', booking({ start: new Date('2026-03-29T00:30:00Z') }), 'sms').text).toContain(
      'dimanche 29/03 à 01h30',
    );
  });

  it('handles the fall-back day (25 October 2026), where 02h30 happens twice', () => {
    const second = renderBooking('booking_confirmed_patient', booking({ start: new Date('2026-10-25T01:30:00Z') }), 'sms');
    const first = renderBooking('booking_confirmed_patient', booking({ start: new Date('2026-10-25T00:30:00Z') }), 'sms');
    expect(second.text).toContain('dimanche 25/10 à 02h30');
    expect(first.text).toContain('dimanche 25/10 à 02h30');
  });

  it('shows only the time in the reminder', () => {
    const m = renderBooking('booking_reminder_patient', booking(), 'sms');
    expect(m.text).toContain('le lundi 30/03 à 10h30');
    expect(m.subject).toBe('SNP : rappel de votre rendez-vous le lundi 30/03 à 10h30');
  });
});

describe('every SMS template', () => {
  it.each(BOOKING_TEMPLATES)('%s is GSM-7 in 1 to 2 segments with realistic values', (t) => {
    for (const modality of ['in_person', 'teleconsultation', 'home_visit'] as const) {
      const m = renderBooking(t, booking({ modality, cancelReason: 'Médecin appelé pour une urgence à domicile' }), 'sms');
      expectSendable(m.text);
      expect(m.text).toContain('lundi 30/03 à 10h30');
      expect(m.subject.length).toBeLessThanOrEqual(80);
    }
  });

  it.each(BOOKING_TEMPLATES)('%s still fits in 2 segments with an absurdly long practice name and address', (t) => {
    const m = renderBooking(t, booking({ practice: { ...ABSURD, phone: '+33237000000' } }), 'sms');
    expectSendable(m.text);
    expect(m.text).toContain('10h30');
    if (t !== 'booking_cancelled_patient' && t.endsWith('_patient')) expect(m.text).toContain('02 37 00 00 00');
    if (t === 'booking_confirmed_practice') expect(m.text).toContain('06 12 34 56 78');
  });

  it('still fits with absurd names and cancel reason, keeping date and phone', () => {
    const huge = booking({
      practice: { ...ABSURD, phone: '+33237000000' },
      practitioner: { firstName: 'Jean-'.repeat(60), lastName: 'de La Tour '.repeat(30) },
      patient: { firstName: 'Marie-'.repeat(60), lastName: 'Dupont '.repeat(40), phone: '+33612345678' },
      cancelReason: 'Indisponibilité '.repeat(50),
    });
    for (const t of BOOKING_TEMPLATES) {
      const m = renderBooking(t, huge, 'sms');
      expectSendable(m.text);
      expect(m.text).toMatch(/10h30/);
    }
    expect(renderBooking('booking_confirmed_patient', huge, 'sms').text).toContain('02 37 00 00 00');
    expect(renderBooking('booking_confirmed_practice', huge, 'sms').text).toContain('06 12 34 56 78');
  });

  it('shortens the address before the practice name', () => {
    const address = `${'Résidence les Hauts de Chartres, bâtiment B, '.repeat(4)}12 rue de la République, 28000 Chartres`;
    const m = renderBooking('booking_confirmed_patient', booking({ practice: { name: 'Maison de santé des Tilleuls', address, phone: '+33237000000' } }), 'sms');
    expectSendable(m.text);
    expect(m.text).toContain('Maison de santé des Tilleuls, Résidence les Hauts de Chartres');
    expect(m.text).toMatch(/\.\.\. Empechement : prévenez le 02 37 00 00 00\.$/);
    expect(m.text).not.toContain('28000 Chartres');
  });

  it('leaves a short enough SMS untouched', () => {
    const m = renderBooking('booking_confirmed_patient', booking(), 'sms');
    expect(m.text).toBe(
      'Bonjour, RDV confirmé le lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE, Maison de santé des Tilleuls, ' +
        '12 rue de la République, 28000 Chartres. Empechement : prévenez le 02 37 00 00 00.',
    );
    expect(smsSegments(m.text)).toEqual({ encoding: 'GSM-7', units: 184, segments: 2 });
  });

  it('flattens line breaks and transliterates typographic characters in the values', () => {
    const m = renderBooking(
      'booking_confirmed_patient',
      booking({ practice: { name: 'Cabinet « Les Tilleuls »', address: '12 rue de l’Église\n28000 Chartres', phone: '+33237000000' } }),
      'sms',
    );
    expect(m.text).toContain(`Cabinet " Les Tilleuls ", 12 rue de l'Église 28000 Chartres.`);
    expectSendable(m.text);
  });
});

describe('booking_confirmed_patient', () => {
  it('gives the practice name and address for an in-person visit', () => {
    const { text } = renderBooking('booking_confirmed_patient', booking(), 'sms');
    expect(text).toContain('RDV confirmé le lundi 30/03 à 10h30');
    expect(text).toContain('Dr Hélène LEFEVRE');
    expect(text).toContain('12 rue de la République, 28000 Chartres');
    expect(text).toContain('Empechement : prévenez le 02 37 00 00 00.');
  });

  it('announces the link for a teleconsultation, without the address', () => {
    const { text } = renderBooking('booking_confirmed_patient', booking({ modality: 'teleconsultation' }), 'sms');
    expect(text).toContain('RDV de téléconsultation confirmé le lundi 30/03 à 10h30');
    expect(text).toContain('Le cabinet vous enverra le lien de connexion.');
    expect(text).not.toContain('rue de la République');
    expectSendable(text);
  });

  it('says the doctor comes to the patient for a home visit, without the practice address', () => {
    const { text } = renderBooking('booking_confirmed_patient', booking({ modality: 'home_visit' }), 'sms');
    expect(text).toContain('le Dr Hélène LEFEVRE (Maison de santé des Tilleuls) viendra chez vous');
    expect(text).not.toContain('rue de la République');
  });

  it('falls back to "prévenez le cabinet" without a practice phone', () => {
    const { text } = renderBooking('booking_confirmed_patient', booking({ practice: { name: 'Cabinet Pasteur', address: null, phone: null } }), 'sms');
    expect(text).toBe('Bonjour, RDV confirmé le lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE, Cabinet Pasteur. Empechement : prévenez le cabinet.');
  });

  it('shows a foreign phone number as given', () => {
    const { text } = renderBooking('booking_confirmed_patient', booking({ practice: { name: 'Cabinet Pasteur', phone: '+32470123456' } }), 'sms');
    expect(text).toContain('prévenez le +32470123456.');
  });

  it('never shows a birth date, even if the caller passes one along', () => {
    const patient = { firstName: 'Marie', lastName: 'Dupont', phone: '+33612345678', birthDate: '1984-05-12' };
    for (const t of BOOKING_TEMPLATES) {
      for (const channel of ['sms', 'email'] as const) {
        const m = renderBooking(t, booking({ patient }), channel);
        expect(m.text).not.toMatch(/1984|12\/05/);
      }
    }
  });

  it('keeps accents and typography in the e-mail', () => {
    const m = renderBooking('booking_confirmed_patient', booking(), 'email');
    expect(m.text.split('\n')).toEqual([
      'Bonjour,',
      '',
      'Votre rendez-vous est confirmé le lundi 30/03 à 10h30 avec le Dr Hélène LEFÈVRE, Maison de santé des Tilleuls, 12 rue de la République, 28000 Chartres.',
      'Empêchement : prévenez le 02 37 00 00 00.',
      '',
      'Cordialement,',
      'La CPTS - soins non programmés',
    ]);
  });
});

describe('booking_confirmed_practice', () => {
  it('names the patient with a phone to call back and who booked', () => {
    const { text } = renderBooking('booking_confirmed_practice', booking(), 'sms');
    expect(text).toBe(
      'Bonjour, nouveau RDV SNP le lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE : Marie DUPONT, tél. 06 12 34 56 78. ' +
        "Pris par la régulation (15). Motif et détails dans l'application.",
    );
  });

  it.each([
    ['secretary', "le secrétariat d'un cabinet de la CPTS"],
    ['regulator', 'la régulation (15)'],
    ['coordinator', 'la coordination'],
    ['matching', 'le moteur de la CPTS (demande SNP)'],
    ['admin', "l'administration de la CPTS"],
    ['something_new', 'la CPTS'],
  ])('says who booked for role %s', (role, label) => {
    const m = renderBooking('booking_confirmed_practice', booking({ bookedBy: { role } }), 'email');
    expect(m.text).toContain(`Pris par : ${label}\n`);
    expectSendable(renderBooking('booking_confirmed_practice', booking({ bookedBy: { role } }), 'sms').text);
  });

  it('tags teleconsultations and home visits, and copes with a missing patient phone', () => {
    const tele = renderBooking('booking_confirmed_practice', booking({ modality: 'teleconsultation' }), 'sms').text;
    expect(tele).toContain('nouveau RDV SNP (téléconsultation) le lundi 30/03 à 10h30');
    const home = renderBooking('booking_confirmed_practice', booking({ modality: 'home_visit', patient: { firstName: 'Marie', lastName: 'Dupont' } }), 'sms').text;
    expect(home).toContain('(visite à domicile)');
    expect(home).toContain('tél. non renseigné');
  });

  it('lays the e-mail out over several lines', () => {
    const m = renderBooking('booking_confirmed_practice', booking(), 'email');
    expect(m.subject).toBe('SNP : nouveau rendez-vous le lundi 30/03 à 10h30');
    expect(m.text).toContain('\nDate : lundi 30/03 à 10h30\n');
    expect(m.text).toContain('\nPatient : Marie DUPONT\n');
    expect(m.text).toContain('\nTéléphone du patient : 06 12 34 56 78\n');
    expect(m.text).toContain("\nMotif et détails dans l'application.\n");
  });
});

describe('booking_cancelled_*', () => {
  const cancelled = booking({ cancelReason: 'Médecin appelé en urgence' });

  it('tells the patient where to turn, without the cancel reason', () => {
    for (const channel of ['sms', 'email'] as const) {
      const { text } = renderBooking('booking_cancelled_patient', cancelled, channel);
      expect(text).toContain('lundi 30/03 à 10h30 avec le Dr Hélène');
      expect(text).toContain('est annulé');
      expect(text).toContain("En cas d'urgence vitale, appelez le 15.");
      expect(text).not.toContain('appelé en urgence');
      expect(text).not.toContain('Motif');
    }
    expectSendable(renderBooking('booking_cancelled_patient', cancelled, 'sms').text);
  });

  it('gives the practice the patient, and the cancel reason by e-mail only (free text, never by SMS)', () => {
    const sms = renderBooking('booking_cancelled_practice', cancelled, 'sms').text;
    expect(sms).toBe('Bonjour, le RDV SNP du lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE (patient : Marie DUPONT) est annulé.');
    expect(renderBooking('booking_cancelled_practice', cancelled, 'email').text).toContain("\nMotif d'annulation : Médecin appelé en urgence\n");
  });

  it('leaves the reason line out when there is none', () => {
    expect(renderBooking('booking_cancelled_practice', booking(), 'sms').text).not.toContain('Motif');
    expect(renderBooking('booking_cancelled_practice', booking(), 'email').text).not.toContain('Motif');
  });
});

describe('booking_reminder_patient', () => {
  it('adapts to the modality', () => {
    expect(renderBooking('booking_reminder_patient', booking(), 'sms').text).toBe(
      "Bonjour, rappel : RDV le lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE, Maison de santé des Tilleuls, " +
        '12 rue de la République, 28000 Chartres. Empechement : prévenez le 02 37 00 00 00.',
    );
    const tele = renderBooking('booking_reminder_patient', booking({ modality: 'teleconsultation' }), 'sms').text;
    expect(tele).toContain('téléconsultation le lundi 30/03 à 10h30');
    expect(tele).toContain('lien de connexion');
    const home = renderBooking('booking_reminder_patient', booking({ modality: 'home_visit' }), 'sms').text;
    expect(home).toContain('viendra chez vous');
    expect(home).not.toContain('rue de la République');
  });
});

describe('request_unmatched_originator', () => {
  it('tells the originator to orient the patient elsewhere, with the request id', () => {
    const m = renderRequest('request_unmatched_originator', request(), 'sms');
    expect(m.text).toBe(
      "Bonjour, aucun créneau SNP n'a été trouvé pour Marie DUPONT (demande du lundi 30/03 à 08h15) avant le mardi 31/03 à 08h15. " +
        "Merci d'orienter le patient ailleurs : médecin de garde (116 117), ou le 15 en cas d'urgence. " +
        'Réf. demande : 3f2b8c1e-8d4a-4e7b-9a51-0c6f2d9e7a10.',
    );
    expectSendable(m.text);
    expect(m.subject).toBe('SNP : aucun créneau trouvé (demande 3f2b8c1e-8d4a-4e7b-9a51-0c6f2d9e7a10)');
  });

  it('cuts an absurd patient name but keeps the dates and the id', () => {
    const m = renderRequest('request_unmatched_originator', request({ patient: { firstName: 'Marie-'.repeat(50), lastName: 'Dupont' } }), 'sms');
    expectSendable(m.text);
    expect(m.text).toContain('avant le mardi 31/03 à 08h15');
    expect(m.text).toContain('3f2b8c1e-8d4a-4e7b-9a51-0c6f2d9e7a10');
  });

  it('writes a multi-line e-mail', () => {
    const lines = renderRequest('request_unmatched_originator', request(), 'email').text.split('\n');
    expect(lines[0]).toBe('Bonjour,');
    expect(lines).toContain('Réf. demande : 3f2b8c1e-8d4a-4e7b-9a51-0c6f2d9e7a10.');
    expect(lines[2]).toMatch(/^Aucun créneau SNP/);
  });
});

describe('a patient whose identity was erased', () => {
  it('is told to the practice as such, never as « null »', () => {
    const erased = { firstName: null, lastName: null, phone: null };
    for (const channel of ['email', 'sms'] as const) {
      const m = renderBooking('booking_cancelled_practice', booking({ patient: erased }), channel);
      expect(m.text).toContain('identit');
      expect(m.text).not.toMatch(/null|undefined/);
    }
  });
});

describe('practice phones in messages', () => {
  it('writes overseas numbers of the French plan the way they are dialled there', () => {
    const reunion = booking({ practice: { name: 'Cabinet du Barachois', address: '1 rue de Paris, 97400 Saint-Denis', phone: '+262262411234' } });
    expect(renderBooking('booking_confirmed_patient', reunion, 'sms').text).toContain('02 62 41 12 34');
    const tahiti = booking({ practice: { name: 'Cabinet de Papeete', address: '1 rue du Général de Gaulle, 98714 Papeete', phone: '+68940411234' } });
    expect(renderBooking('booking_confirmed_patient', tahiti, 'sms').text).toContain('+68940411234');
  });
});
