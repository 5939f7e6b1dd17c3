import { Pool } from 'undici';

/**
 * The load generator's HTTP client: an undici connection pool with keep-alive. It costs about half
 * the CPU of node:http per request, and the load generator shares the machine with the API and
 * PostgreSQL (pgbench's own client is C), so a cheap client keeps the comparison fair.
 */
export class HttpClient {
  private readonly pool: Pool;

  constructor(base: URL, connections: number) {
    this.pool = new Pool(base.origin, { connections, pipelining: 1 });
  }

  async request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await this.pool.request({
      method: method as 'GET',
      path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.statusCode, body: parsed };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
