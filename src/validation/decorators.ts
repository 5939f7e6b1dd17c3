import { createParamDecorator, ExecutionContext, Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-errors';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, registerDecorator, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { INSEE_COMMUNE_PATTERN, POSTCODE_PATTERN } from '../directory/insee';
import { isValidRpps } from '../directory/rpps';
import { isValidFiness } from '../directory/finess';
import { toE164 } from './phone';
import { calendarDate } from '../bookings/age';

/** An instant with an explicit offset (or Z), e.g. 2026-11-23T08:30:00+01:00. */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} doit être une date-heure ISO 8601 avec fuseau, par ex. 2026-11-23T08:30:00+01:00`,
        ...options,
      },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' &&
          v.length <= 40 &&
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) &&
          DateTime.fromISO(v, { setZone: true }).isValid,
      },
    });
}

/** A calendar date YYYY-MM-DD that exists. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} doit être une date AAAA-MM-JJ existante`, ...options },
      validator: {
        validate: (v: unknown) => typeof v === 'string' && calendarDate(v) !== null,
      },
    });
}

export const IsInseeCode = (each = false) =>
  applyDecorators(
    IsString({ each, message: ({ property }) => `${property} doit être un code commune INSEE (texte)` }),
    Matches(INSEE_COMMUNE_PATTERN, { each, message: ({ property }) => `${property} doit être un code commune INSEE à 5 caractères (ex. 28088, 2A004)` }),
  );

export const IsPostcode = () =>
  applyDecorators(IsString(), Matches(POSTCODE_PATTERN, { message: ({ property }) => `${property} doit être un code postal à 5 chiffres` }));

export function IsRpps(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRpps',
      target: target.constructor,
      propertyName,
      options: { message: 'rpps doit comporter 11 chiffres dont une clé de contrôle (Luhn) valide', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidRpps(v) },
    });
}

export function IsFiness(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFiness',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} doit être un numéro FINESS de 9 chiffres dont une clé de contrôle (Luhn) valide`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidFiness(v) },
    });
}

/** A phone number a French user would type; normalised to E.164 after validation by PhoneE164. */
export function IsPhone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} doit être un numéro de téléphone valide (ex. 06 12 34 56 78 ou +33612345678)`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && v.length <= 32 && toE164(v) !== null },
    });
}

/** Bounded free text: trims, refuses empty and over-long strings and control characters (tabs and line breaks allowed). */
export const IsText = (max: number) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString({ message: ({ property }) => `${property} doit être du texte` }),
    Matches(/\S/, { message: ({ property }) => `${property} ne doit pas être vide` }),
    Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, { message: ({ property }) => `${property} contient un caractère de contrôle non autorisé` }),
    MaxLength(max, { message: ({ property }) => `${property} ne doit pas dépasser ${max} caractères` }),
  );

/** A :id route parameter that must be a uuid (400 otherwise, never a database error). */
export const UuidParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new ValidationFailedError(`${name} doit être un identifiant (uuid)`, [{ field: name, messages: ['uuid attendu'] }]) }));

/** The optional Idempotency-Key header of a retriable write: 1 to 200 characters (400 otherwise). */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const key = ctx.switchToHttp().getRequest().headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 200)) {
    throw new ValidationFailedError('Idempotency-Key doit faire de 1 à 200 caractères', [{ field: 'Idempotency-Key', messages: ['1 à 200 caractères'] }]);
  }
  return key;
});
