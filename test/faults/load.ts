import { Agent, request } from 'undici';

/** One HTTP exchange of a load: when it was sent and answered, its status and body, or the socket error. */
export interface Outcome {
  sentAt: number;
  doneAt: number;
  status: number | null;
  body?: any;
  error?: string;
}

/**
 * A load generator's client: keep-alive connections (as a regulator's browser or the SAS platform
 * keep them), and a time-out per request like a real client's (`timeoutMs`): a request not answered
 * by then counts as an error `timeout`.
 */
export class LoadClient {
  readonly agent: Agent;

  constructor(
    readonly base: string,
    private readonly timeoutMs = 5000,
    connections = 64,
  ) {
    this.agent = new Agent({ connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
  }

  async call(method: 'GET' | 'POST', path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
    const sentAt = Date.now();
    try {
      const res = await request(this.base + path, {
        method,
        dispatcher: this.agent,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.body.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: kept as text */
      }
      return { sentAt, doneAt: Date.now(), status: res.statusCode, body: parsed };
    } catch (e) {
      const code = (e as any).code as string | undefined;
      const error = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : code ?? (e as Error).message;
      return { sentAt, doneAt: Date.now(), status: null, error };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Runs `clients` loops of `step` until `running()` turns false; resolves when every loop has ended. */
export async function load(clients: number, running: () => boolean, step: (client: number) => Promise<void>): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (running()) await step(c);
    }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
