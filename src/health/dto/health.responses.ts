import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** What GET /health answers when it can serve (@nestjs/terminus's result), for the OpenAPI document. */

/** Each check by name (`postgres`, `redis`, `messages`): its `status`, and what it adds. */
const CHECK: SchemaObject = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['up', 'down'] } },
  required: ['status'],
  additionalProperties: true,
};
const CHECKS = { type: 'object' as const, additionalProperties: CHECK };

export class HealthResponse {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: string;

  @ApiProperty({
    ...CHECKS,
    description: 'les vérifications qui répondent ; `messages` dit si les SMS et e-mails partent vraiment (`delivered`), et sinon quel réglage manque (`missing`), sans effet sur le statut',
    example: { postgres: { status: 'up' }, redis: { status: 'up' }, messages: { status: 'up', delivered: false, missing: ['SMS_WEBHOOK_URL (SMS aux patients : écrits dans le fichier outbox, personne ne les reçoit)', 'SMTP_URL (e-mails aux cabinets : écrits dans le fichier outbox, personne ne les reçoit)'] } },
  })
  info: Record<string, { status: string }>;

  @ApiProperty({ ...CHECKS, description: 'vide quand tout répond', example: {} })
  error: Record<string, { status: string }>;

  @ApiProperty({ ...CHECKS, description: 'toutes les vérifications', example: { postgres: { status: 'up' }, redis: { status: 'up' }, messages: { status: 'up', delivered: true } } })
  details: Record<string, { status: string }>;
}
