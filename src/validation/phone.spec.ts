import { toE164 } from './phone';

describe('phone numbers to E.164', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['02 37 45 00 00', '+33237450000'],
    ['0590 12 34 56', null],
    ['12', null],
    ['not a phone', null],
  ])('%s → %s', (input, expected) => expect(toE164(input)).toBe(expected));
});
