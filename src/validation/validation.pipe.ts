import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-errors';
import { cacheValidationMetadata } from './metadata-cache';

export function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; messages: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints).map((m) => frenchise(m, field)) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator's built-in English messages for the common cases, said in French. */
function frenchise(message: string, field: string): string {
  if (/should not exist/.test(message)) return `le champ ${field} n'est pas attendu`;
  if (/should not be empty|must be defined/.test(message)) return `${field} est obligatoire`;
  if (/must be either object or array/.test(message)) return `${field} doit être un objet`;
  return message;
}

/**
 * Whitelist, forbid unknown fields, transform; failures become 400 validation_failed with field
 * details. Each class's rules are read once (cacheValidationMetadata), not for every object.
 */
export function buildValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const summary = details
        .slice(0, 3)
        .map((d) => d.messages[0])
        .join(' ; ');
      return new ValidationFailedError(`Données invalides : ${summary}`, details);
    },
  });
}
