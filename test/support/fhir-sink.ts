import { randomUUID } from 'crypto';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';

export interface SinkRequest {
  method: string;
  /** The path and query as received. */
  url: string;
  /** `system|value` of a conditional PUT, or of the body's identifier on a POST. */
  identifier: string | null;
  contentType: string | undefined;
  raw: string;
  body: any;
  /** What the sink answered. */
  status: number;
}

/**
 * A real HTTP server standing for the SAS platform's FHIR endpoint (INT_R03: it keeps the
 * appointments we report). `POST /fhir/Appointment` → 201 with a Location; `PUT
 * /fhir/Appointment?identifier=system|value` → 200, or 201 when unknown (the SAS's updateCreate).
 * It can refuse (503) the next n requests, or answer a given status for an appointment.
 */
export class FhirSink {
  readonly requests: SinkRequest[] = [];
  /** Appointments by `system|value`, as last stored. */
  readonly appointments = new Map<string, { id: string; resource: any }>();
  private failures = 0;
  private readonly verdicts = new Map<string, { status: number; diagnostics: string }>();
  private server!: Server;

  static async start(): Promise<FhirSink> {
    const sink = new FhirSink();
    sink.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => sink.handle(req.method ?? 'GET', req.url ?? '/', req.headers['content-type'], raw, res));
    });
    await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', r));
    return sink;
  }

  private handle(method: string, url: string, contentType: string | undefined, raw: string, res: import('http').ServerResponse) {
    const u = new URL(url, 'http://sink');
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      /* kept raw */
    }
    const identifier = method === 'PUT' ? u.searchParams.get('identifier') : body?.identifier?.[0] ? `${body.identifier[0].system}|${body.identifier[0].value}` : null;
    const answer = (status: number, headers: Record<string, string> = {}, payload?: object) => {
      this.requests.push({ method, url, identifier, contentType, raw, body, status });
      res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers }).end(payload ? JSON.stringify(payload) : undefined);
    };
    const outcome = (diagnostics: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics }] });
    if (this.failures > 0) {
      this.failures--;
      return answer(503, {}, outcome('service indisponible'));
    }
    if (!u.pathname.endsWith('/Appointment') || !identifier || body?.resourceType !== 'Appointment') return answer(400, {}, outcome('requête inattendue'));
    const verdict = this.verdicts.get(body.identifier[0].value);
    if (verdict) return answer(verdict.status, {}, outcome(verdict.diagnostics));
    const known = this.appointments.get(identifier);
    if (method === 'POST') {
      if (known) return answer(422, {}, outcome('rendez-vous déjà connu'));
      const id = randomUUID();
      this.appointments.set(identifier, { id, resource: body });
      return answer(201, { location: `${this.url}/Appointment/${id}/_history/1` }, { ...body, id });
    }
    if (method === 'PUT') {
      const id = known?.id ?? randomUUID();
      this.appointments.set(identifier, { id, resource: body });
      return answer(known ? 200 : 201, { location: `${this.url}/Appointment/${id}` }, { ...body, id });
    }
    return answer(405, {}, outcome('méthode non prise en charge'));
  }

  /** The FHIR base URL to give as SAS_FHIR_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fhir`;
  }

  /** Refuse (503) the next `n` requests, whatever they are. */
  failNext(n: number): void {
    this.failures = n;
  }

  /** Always answer `status` for the appointment of this booking (a business refusal, 422). */
  refuse(bookingId: string, status: number, diagnostics: string): void {
    this.verdicts.set(bookingId, { status, diagnostics });
  }

  /** Take this booking's appointment normally again (the SAS fixed its side). */
  accept(bookingId: string): void {
    this.verdicts.delete(bookingId);
  }

  /** The requests about one booking, in the order they came. */
  about(bookingId: string): SinkRequest[] {
    return this.requests.filter((r) => r.identifier?.endsWith(`|${bookingId}`));
  }

  /** The appointment stored for one booking. */
  stored(bookingId: string): any {
    for (const [key, a] of this.appointments) if (key.endsWith(`|${bookingId}`)) return a.resource;
    return undefined;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
