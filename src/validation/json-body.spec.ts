import { MAX_JSON_DEPTH, refusedBody } from './json-body';

const nested = (depth: number) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('refusedBody', () => {
  it('lets ordinary bodies through', () => {
    expect(refusedBody({ patient: { firstName: 'Léa', tags: ['a', 'b'] }, n: 3, ok: true, none: null })).toBeNull();
    expect(refusedBody(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses a body nested deeper than the limit, however deep, without recursion', () => {
    expect(refusedBody(nested(MAX_JSON_DEPTH + 1))).toMatch(/imbriqué trop profondément/);
    expect(refusedBody(nested(200_000))).toMatch(/imbriqué trop profondément/);
  });

  it('refuses a NUL character in a value or a key, at any depth', () => {
    expect(refusedBody({ patient: { firstName: 'L\u0000a' } })).toMatch(/caractère nul/);
    expect(refusedBody([['x', 'y\u0000']])).toMatch(/caractère nul/);
    expect(refusedBody({ ['a\u0000']: 1 })).toMatch(/caractère nul/);
  });
});
