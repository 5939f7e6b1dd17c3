import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

/**
 * A local stand-in for the national geocoder (Géoplateforme `/geocodage/search`), answering its
 * real GeoJSON shape: a FeatureCollection whose features carry `geometry.coordinates` [lon, lat]
 * and `properties` {type, score, citycode, label}. It knows the communes and addresses it is told,
 * answers an empty collection otherwise, and can be made to fail or to hang.
 */
export class FakeGeocoder {
  readonly requests: Array<Record<string, string>> = [];
  private readonly communes = new Map<string, [number, number]>();
  private readonly addresses = new Map<string, { coordinates: [number, number]; type: string; score: number }>();
  mode: 'ok' | 'error' | 'hang' = 'ok';
  private server!: Server;

  static async start(): Promise<FakeGeocoder> {
    const fake = new FakeGeocoder();
    fake.server = createServer((req, res) => fake.answer(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/geocodage`;
  }

  commune(code: string, lon: number, lat: number): this {
    this.communes.set(code, [lon, lat]);
    return this;
  }

  address(citycode: string, q: string, lon: number, lat: number, type = 'housenumber', score = 0.92): this {
    this.addresses.set(`${citycode}|${q}`, { coordinates: [lon, lat], type, score });
    return this;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = Object.fromEntries(url.searchParams);
    this.requests.push(params);
    if (this.mode === 'hang') return; // never answers: the client's time-out decides
    if (this.mode === 'error' || url.pathname !== '/geocodage/search') {
      res.writeHead(this.mode === 'error' ? 503 : 404, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service indisponible"}');
      return;
    }
    const features: unknown[] = [];
    const citycode = params.citycode ?? '';
    if (params.type === 'municipality' && this.communes.has(citycode)) {
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: this.communes.get(citycode) }, properties: { type: 'municipality', score: 0.95, citycode, label: params.q } });
    } else if (!params.type) {
      const hit = this.addresses.get(`${citycode}|${params.q}`);
      if (hit) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: hit.coordinates }, properties: { type: hit.type, score: hit.score, citycode, label: params.q } });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', version: 'draft', features, query: params.q }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
