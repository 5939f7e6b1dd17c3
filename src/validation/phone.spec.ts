import { phoneRegionOf, toE164 } from './phone';

describe('phone numbers to E.164', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['02 37 45 00 00', '+33237450000'],
    // A Martinique prefix in a range Martinique does not allocate: no number (not a mainland +33 one).
    ['0596 12 34 56', null],
    ['12', null],
    ['not a phone', null],
  ])('%s → %s', (input, expected) => expect(toE164(input)).toBe(expected));

  it.each([
    // Réunion and Mayotte
    ['0692 12 34 56', '+262692123456'],
    ['0262 12 34 56', '+262262123456'],
    ['0269 61 12 34', '+262269611234'],
    // Guadeloupe (and Saint-Barthélemy, Saint-Martin)
    ['0690 12 34 56', '+590690123456'],
    ['0590 12 34 56', '+590590123456'],
    // Martinique, Guyane, Saint-Pierre-et-Miquelon
    ['0696 12 34 56', '+596696123456'],
    ['0596 63 12 34', '+596596631234'],
    ['0639 01 23 45', '+262639012345'],
    ['0694 12 34 56', '+594694123456'],
    ['0594 12 34 56', '+594594123456'],
    ['41 23 45', '+508412345'],
    ['+262 692 12 34 56', '+262692123456'],
  ])('overseas, typed the French way: %s → %s', (input, expected) => expect(toE164(input)).toBe(expected));

  it('reads the Pacific’s numbers, without a trunk 0, in the CPTS’s own region first', () => {
    expect(toE164('87 12 34 56')).toBe('+68987123456');
    expect(toE164('28 12 34', 'NC')).toBe('+687281234');
    expect(toE164('28 12 34', 'PM')).toBe('+508281234');
    // A mainland number stays one wherever the CPTS is.
    expect(toE164('06 12 34 56 78', 'RE')).toBe('+33612345678');
  });

  it('takes a CPTS’s region from its communes', () => {
    expect(phoneRegionOf(['97411', '97415'])).toBe('RE');
    expect(phoneRegionOf(['98735'])).toBe('PF');
    expect(phoneRegionOf(['28088'])).toBe('FR');
    expect(phoneRegionOf(['2A004'])).toBe('FR');
    expect(phoneRegionOf([])).toBe('FR');
  });
});
