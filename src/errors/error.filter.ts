import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-errors';
import { FHIR_JSON, FhirError, isFhirPath, operationOutcome } from '../fhir/fhir-errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  alternatives?: unknown;
  retryAfterSeconds?: number;
}

const HTTP_CODES: Record<number, [string, string]> = {
  400: ['bad_request', 'Requête invalide'],
  401: ['unauthorized', 'Identifiants absents ou invalides'],
  403: ['forbidden', "Vous n'avez pas le droit de faire cette action"],
  404: ['not_found', 'Ressource introuvable'],
  405: ['method_not_allowed', 'Méthode non autorisée'],
  406: ['not_acceptable', 'Format de réponse non disponible'],
  409: ['conflict', "Conflit avec l'état actuel"],
  413: ['payload_too_large', 'Requête trop volumineuse'],
  415: ['unsupported_media_type', 'Envoyez du JSON (Content-Type: application/json)'],
  422: ['unprocessable', 'Requête valide mais impossible à satisfaire'],
  429: ['rate_limited', 'Trop de requêtes, réessayez dans une minute'],
  503: ['service_unavailable', 'Service momentanément indisponible (base de données ou Redis injoignable)'],
};

/** Postgres errors caused by input (bad uuid, out-of-range value) are the caller's fault, not a 500. */
const PG_INPUT_ERRORS: Record<string, [number, string, string]> = {
  '22P02': [400, 'validation_failed', 'Valeur mal formée'],
  '22003': [400, 'validation_failed', 'Valeur hors limites'],
  '22007': [400, 'validation_failed', 'Date ou heure invalide'],
  '22008': [400, 'validation_failed', 'Date ou heure hors limites'],
  '22001': [400, 'validation_failed', 'Texte trop long'],
  '22021': [400, 'validation_failed', 'Caractère invalide dans le texte envoyé'],
  '22P05': [400, 'validation_failed', 'Caractère invalide dans le texte envoyé'],
  '54001': [400, 'validation_failed', 'Requête trop complexe'],
  '23503': [422, 'reference_not_found', "Une référence (identifiant) n'existe pas"],
  '23505': [409, 'conflict', 'Cet élément existe déjà'],
};

/**
 * The database could not be reached or dropped the connection (restart, network cut, pool time-out):
 * the request may be tried again in a few seconds, on this replica or another. Postgres's SQLSTATE
 * classes 08 (connection exception) and 57P01–57P03 (shutting down, cannot connect now), the
 * socket's own errors, node-postgres's messages when a connection ends or cannot be had, and
 * TypeORM's when a transaction's connection was lost between two of its statements.
 */
export function isDatabaseUnreachable(e: unknown): boolean {
  // TypeORM hands a transaction's connection back when it breaks: the transaction's next statement finds it released.
  if ((e as Error)?.name === 'QueryRunnerAlreadyReleasedError') return true;
  const err = ((e as any)?.driverError ?? e) as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|not queryable/i.test(message);
}

/** Seconds after which a 503 says to try again. */
const RETRY_AFTER_SECONDS = 5;

/** The one place where errors become HTTP answers of the contract's shape (README, « API »). */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    // Logged as its id, method and path (createLogger's serializer): the line is found by the X-Request-Id answered.
    const req = host.switchToHttp().getRequest();
    const body = this.toBody(exception);
    if (body.statusCode === 503) {
      const err = (exception as any)?.driverError ?? exception;
      // One line per failed request, without the query or its parameters (patient data).
      this.logger.warn({ req, err: { code: err?.code, message: err?.message } }, 'database unreachable: answered 503');
    } else if (body.statusCode >= 500) {
      const err = exception as Error;
      this.logger.error({ req, err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'unhandled error');
    }
    if (typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
    // The SAS platform's interface answers its errors as FHIR OperationOutcomes, with the same message.
    if (isFhirPath(req?.url)) {
      const outcome = operationOutcome(body.statusCode, body.message, exception instanceof FhirError ? exception.issue : undefined);
      reply.status(body.statusCode).header('content-type', FHIR_JSON).send(JSON.stringify(outcome));
      return;
    }
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, error: exception.code, message: exception.message, ...exception.extra };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, fallback] = HTTP_CODES[status] ?? ['error', exception.message];
      const res = exception.getResponse();
      // Nest hands Fastify's body-parsing failures over as an HttpException carrying Fastify's English text.
      if (status === 400 && typeof res === 'string' && /valid JSON/i.test(res)) {
        return { statusCode: 400, error: 'validation_failed', message: 'Le corps de la requête n\'est pas un JSON valide : vérifiez les guillemets, virgules et accolades' };
      }
      const message = typeof res === 'object' && res && typeof (res as any).message === 'string' ? (res as any).message : fallback;
      const details = typeof res === 'object' && res && (res as any).details ? { details: (res as any).details } : {};
      return { statusCode: status, error: code, message: status === 404 ? 'Adresse inconnue' : message, ...details };
    }
    if (exception instanceof QueryFailedError) {
      const mapped = PG_INPUT_ERRORS[(exception as any).code];
      if (mapped) return { statusCode: mapped[0], error: mapped[1], message: mapped[2] };
    }
    if (isDatabaseUnreachable(exception)) {
      return {
        statusCode: 503,
        error: 'service_unavailable',
        message: 'Service momentanément indisponible (base de données injoignable) : réessayez dans quelques secondes',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    }
    // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
    const status = (exception as any)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const [code, fallback] = HTTP_CODES[status] ?? ['bad_request', 'Requête invalide'];
      const message = (exception as any)?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (exception as any) instanceof SyntaxError
        ? 'Le corps de la requête n\'est pas un JSON valide'
        : fallback;
      return { statusCode: status, error: status === 400 ? 'validation_failed' : code, message };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'internal_error', message: 'Erreur interne, réessayez ; si cela persiste, contactez la coordination' };
  }
}
