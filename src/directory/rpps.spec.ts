import { isValidRpps, withRppsCheckDigit } from './rpps';

describe('RPPS check digit', () => {
  it.each([
    ['10003456789', false],
    ['1000345678', false],
    ['1000345678a', false],
    ['', false],
  ])('%s is valid: %s', (rpps, expected) => expect(isValidRpps(rpps)).toBe(expected));

  it('accepts a number completed with its Luhn digit and refuses every other last digit', () => {
    const valid = withRppsCheckDigit('1000345678');
    expect(isValidRpps(valid)).toBe(true);
    const others = [...'0123456789'].filter((d) => d !== valid[10]).map((d) => '1000345678' + d);
    expect(others.filter(isValidRpps)).toEqual([]);
  });
});
