import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { SearchResultResponse } from '../slots/dto/slots.responses';

/**
 * The error answers of the API as the OpenAPI document describes them: one schema for every error
 * (what ErrorFilter writes), and `ApiErrors(…)` to list on each route the statuses it can answer.
 * Descriptions only: nothing here changes what the application does.
 */

/** One refused field of a 400 `validation_failed`. */
export class FieldError {
  @ApiProperty({ type: String, example: 'patient.phone', description: 'le champ, en notation pointée (`slots.0.end`), ou l’en-tête (`Idempotency-Key`)' })
  field: string;

  @ApiProperty({ type: [String], example: ['phone doit être un numéro de téléphone valide (ex. 06 12 34 56 78 ou +33612345678)'], description: 'ce qui ne va pas, en français' })
  messages: string[];
}

/** Every `error` code the API answers (besides those of the FHIR interface, which answers OperationOutcomes). */
export const ERROR_CODES = [
  'validation_failed', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'not_acceptable', 'payload_too_large', 'unsupported_media_type',
  'conflict', 'slot_unavailable', 'slot_overlap', 'slot_booked', 'slot_held', 'booking_closed', 'booking_cancelled', 'email_taken', 'rpps_taken',
  'community_exists', 'finess_taken', 'last_admin', 'mfa_already_enrolled', 'password_unchanged', 'not_failed',
  'unprocessable', 'reference_not_found', 'slot_in_past', 'slot_too_far', 'modality_not_offered', 'template_in_past', 'patient_too_young',
  'idempotency_key_reused', 'window_closed', 'window_too_long', 'commune_unknown', 'commune_location_unknown', 'postcode_unknown',
  'community_required', 'practitioner_required', 'practice_required', 'practice_mismatch', 'role_not_for_api_key', 'mfa_not_enrolled',
  'outcome_too_early', 'rate_limited', 'account_locked', 'too_many_holds', 'service_unavailable', 'internal_error',
] as const;

/** The body of every error answer: `{statusCode, error, message, details?, alternatives?}` (and `retryAfterSeconds` on a 429 or a 503). */
export class ApiErrorResponse {
  @ApiProperty({ type: 'integer', example: 409, description: 'le statut HTTP de la réponse' })
  statusCode: number;

  @ApiProperty({
    type: String,
    example: 'slot_unavailable',
    description: `code stable, à tester par programme (le message peut changer) : ${ERROR_CODES.join(', ')}`,
  })
  error: string;

  @ApiProperty({ type: String, example: 'Ce créneau n’est plus disponible : voici les suivants', description: 'ce qui s’est passé et quoi faire, en français, à montrer à l’utilisateur' })
  message: string;

  @ApiPropertyOptional({
    description:
      '400 `validation_failed` : chaque champ refusé et pourquoi (absent quand le corps n’est pas du JSON lisible) ; ' +
      '503 de GET /health seulement : l’état de chaque vérification (`postgres`, `redis`, `messages`)',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldError) } },
      { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true } },
    ],
  })
  details?: FieldError[] | Record<string, unknown>;

  @ApiPropertyOptional({
    type: () => [SearchResultResponse],
    description: '409 `slot_unavailable` de POST /bookings : les 5 meilleurs créneaux libres autour du même cabinet (même forme que GET /slots/search), peut-être vide',
  })
  alternatives?: SearchResultResponse[];

  @ApiPropertyOptional({ type: 'integer', example: 60, description: '429 `rate_limited` et `account_locked`, 503 `service_unavailable` : secondes à attendre avant de réessayer (aussi dans l’en-tête Retry-After)' })
  retryAfterSeconds?: number;
}

/** The statuses an API route documents besides its success. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** One documented error: its status, what it means on this route (which `error` codes), and examples. */
export interface ErrorDoc {
  status: ErrorStatus;
  description?: string;
  examples?: Record<string, { summary: string; value: Partial<ApiErrorResponse> & { statusCode: number; error: string; message: string } }>;
}

const DEFAULT_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: '`validation_failed` : requête invalide ; `details` nomme chaque champ refusé (corps, paramètre de requête ou de chemin) et pourquoi',
  401: '`unauthorized` : en-tête Authorization: Bearer <jeton> ou X-Api-Key absent ou invalide, session expirée ou terminée, clé révoquée, compte désactivé',
  403: '`forbidden` : votre rôle ne permet pas cette action',
  404: '`not_found` : introuvable, ou hors de votre périmètre (ce qui, pour vous, revient au même)',
  409: 'conflit avec l’état actuel',
  413: '`payload_too_large` : corps de plus de 256 Kio',
  415: '`unsupported_media_type` : envoyez du JSON (Content-Type: application/json)',
  422: 'requête bien formée mais refusée par une règle métier (`error` dit laquelle)',
  429: 'trop de requêtes',
  503: '`service_unavailable` : service momentanément indisponible',
};

/** A 403 that names the roles the route is open to (the rest of the description says what else refuses). */
export function forbiddenExcept(roles: string[], more?: string): ErrorDoc {
  return { status: 403, description: `\`forbidden\` : réservé aux rôles ${roles.join(', ')}${more ? ` ; ${more}` : ''}` };
}

/**
 * The error answers of a route, each with the one error schema: `ApiErrors(400, 401, 403, 404)`,
 * or with what the status means on this route: `ApiErrors(400, {status: 409, description: '…'})`.
 */
export function ApiErrors(...errors: Array<ErrorStatus | ErrorDoc>) {
  return applyDecorators(
    ApiExtraModels(ApiErrorResponse, FieldError),
    ...errors.map((e) => {
      const doc: ErrorDoc = typeof e === 'number' ? { status: e } : e;
      return ApiResponse({
        status: doc.status,
        description: doc.description ?? DEFAULT_DESCRIPTIONS[doc.status],
        type: ApiErrorResponse,
        ...(doc.examples ? { examples: doc.examples } : {}),
      });
    }),
  );
}
