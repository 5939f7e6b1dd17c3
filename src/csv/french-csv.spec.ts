import { frenchCsv } from './french-csv';

describe('frenchCsv', () => {
  it('writes a BOM, semicolons and CRLF, quoting what needs it', () => {
    expect(frenchCsv(['a', 'b'], [['x;y', 'il a dit "non"'], [1, null], ['deux\nlignes', undefined]])).toBe(
      '\uFEFFa;b\r\n"x;y";"il a dit ""non"""\r\n1;\r\n"deux\nlignes";\r\n',
    );
  });
});
