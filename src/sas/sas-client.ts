import { readFileSync } from 'fs';
import { Agent, Dispatcher, request } from 'undici';
import { AppConfig } from '../config/app-config';

export interface SasAnswer {
  status: number;
  location: string | null;
  /** What the SAS said when it refused (its OperationOutcome's diagnostics, else the start of its body). */
  reason: string | null;
}

/**
 * The SAS platform's FHIR endpoint (SAS_FHIR_URL), over mutual TLS when SAS_FHIR_CLIENT_CERT and
 * SAS_FHIR_CLIENT_KEY are given (IGC-Santé certificate), with a bearer token when its gateway
 * wants one. A keep-alive pool; every call bounded by SAS_FHIR_TIMEOUT_MS.
 */
export class SasClient {
  private readonly pool: Agent;
  private readonly base: string;

  constructor(private readonly config: AppConfig) {
    this.base = config.SAS_FHIR_URL!.replace(/\/+$/, '');
    const file = (path?: string) => (path ? readFileSync(path) : undefined);
    this.pool = new Agent({
      connections: 8,
      keepAliveTimeout: 30_000,
      connect: { cert: file(config.SAS_FHIR_CLIENT_CERT), key: file(config.SAS_FHIR_CLIENT_KEY), ca: file(config.SAS_FHIR_CA) },
    });
  }

  /** `POST [SAS]/Appointment`, or `PUT [SAS]/Appointment?identifier=system|value` (conditional update). Throws on a network failure. */
  async send(method: 'POST' | 'PUT', identifier: { system: string; value: string }, body: object): Promise<SasAnswer> {
    const url = method === 'POST' ? `${this.base}/Appointment` : `${this.base}/Appointment?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method,
        dispatcher: this.pool,
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          ...(this.config.SAS_FHIR_TOKEN ? { authorization: `Bearer ${this.config.SAS_FHIR_TOKEN}` } : {}),
        },
        body: JSON.stringify(body),
        headersTimeout: this.config.SAS_FHIR_TIMEOUT_MS,
        bodyTimeout: this.config.SAS_FHIR_TIMEOUT_MS,
      });
    } catch (e) {
      throw new Error(`la plateforme SAS ne répond pas (${(e as any).code ?? 'erreur réseau'})`);
    }
    const text = await res.body.text().catch(() => '');
    const location = res.headers.location;
    return { status: res.statusCode, location: typeof location === 'string' ? location : null, reason: res.statusCode >= 300 ? reasonOf(text) : null };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The diagnostics of an OperationOutcome, else the start of the body (bounded: it goes to a row and a log). */
function reasonOf(text: string): string | null {
  try {
    const outcome = JSON.parse(text);
    const said = (outcome?.issue ?? []).map((i: any) => i?.diagnostics ?? i?.details?.text).filter(Boolean).join(' ; ');
    if (said) return String(said).slice(0, 300);
  } catch {
    /* not JSON */
  }
  return text ? text.slice(0, 300) : null;
}
