import { readFileSync } from 'fs';
import { join } from 'path';
import { Harness } from '../support/harness';

/**
 * docs/openapi.json is the API's contract as integrators read it in the repository: it must be
 * exactly what the application serves at /docs-json (`npm run docs:openapi` rewrites it).
 */
describe('docs/openapi.json', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('is the OpenAPI document the application serves (else: npm run docs:openapi)', async () => {
    const served = (await h.http.get('/docs-json').expect(200)).body;
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(served);
    // The routes an integrator looks for are in it.
    expect(Object.keys(committed.paths)).toEqual(expect.arrayContaining(['/api/v1/slots/search', '/api/v1/bookings', '/api/v1/sas-appointments']));
  });
});
