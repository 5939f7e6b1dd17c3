import type { OperationOutcome } from 'fhir/r4';
import { DomainError } from '../errors/domain-errors';

/** OperationOutcome.issue.code (FHIR R4 IssueType) of an error we answer. */
export type IssueCode = 'invalid' | 'required' | 'value' | 'not-supported' | 'too-costly' | 'duplicate' | 'not-found' | 'business-rule' | 'login' | 'forbidden' | 'throttled' | 'exception' | 'processing' | 'conflict';

/** An error of the FHIR façade: answered as an OperationOutcome with this status. */
export class FhirError extends DomainError {
  constructor(status: number, readonly issue: IssueCode, message: string) {
    super(status, `fhir_${issue}`, message);
  }
}

/** The issue code that says what an HTTP status means, for errors raised outside the façade (guard, body parser, router). */
function issueFor(status: number): IssueCode {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 415 || status === 405 || status === 406) return 'not-supported';
  if (status === 422) return 'business-rule';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'exception';
  return 'invalid';
}

/** The FHIR form of an error answer (the same French message as the rest of the API). */
export function operationOutcome(status: number, message: string, issue?: IssueCode): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: status >= 500 ? 'fatal' : 'error', code: issue ?? issueFor(status), diagnostics: message }],
  };
}

/** Requests the façade answers (its errors are OperationOutcomes). */
export const isFhirPath = (url: string | undefined): boolean => !!url && (url === '/fhir' || url.startsWith('/fhir/') || url.startsWith('/fhir?'));

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
