/**
 * Named domain errors. Services throw these; DomainErrorFilter maps them to the
 * status and stable `error` code of the public contract (docs/openapi.json). Messages are in French: users read them.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, details?: Array<{ field: string; messages: string[] }>) {
    super(400, 'validation_failed', message, details ? { details } : {});
  }
}
export class UnauthorizedError extends DomainError {
  constructor(message = 'Identifiants absents ou invalides') {
    super(401, 'unauthorized', message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "Vous n'avez pas le droit de faire cette action") {
    super(403, 'forbidden', message);
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'not_found', `${what} introuvable`);
  }
}
export class ConflictError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(409, code, message, extra);
  }
}
export class SlotOverlapError extends ConflictError {
  constructor(message = 'Ce créneau chevauche un créneau déjà publié pour ce praticien') {
    super('slot_overlap', message);
  }
}
export class SlotUnavailableError extends ConflictError {
  constructor(message = "Ce créneau n'est plus disponible", alternatives?: unknown[]) {
    super('slot_unavailable', message, alternatives ? { alternatives } : {});
  }
}
export class UnprocessableError extends DomainError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}
