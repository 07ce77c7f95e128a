/**
 * Errors every layer may raise. The HTTP exception filter maps each class to one status code, so
 * the domain never speaks HTTP and the API never guesses.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `partners.0.country`, or `effectiveDate`. */
  field: string;
  /** Short, stable name of the rule that failed, e.g. `isIn`, `not-already-partner`. */
  rule: string;
  message?: string;
}

export abstract class RegistryError extends Error {
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed: wrong type, missing field, unknown code (HTTP 400). */
export class InvalidInput extends RegistryError {
  readonly kind = 'invalid-input';
}

/** Well-formed, but a business rule forbids it in the current state (HTTP 422). */
export class DomainRuleViolation extends RegistryError {
  readonly kind = 'rule-violation';
  constructor(field: string, rule: string, message: string) {
    super(message, [{ field, rule, message }]);
  }
}

/** The addressed partnership (or other resource) does not exist (HTTP 404). */
export class NotFound extends RegistryError {
  readonly kind = 'not-found';
}

/** Optimistic concurrency: the stream moved on since the caller read it (HTTP 409). */
export class ConcurrencyConflict extends RegistryError {
  readonly kind = 'concurrency-conflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | 'any',
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`, [
      { field: 'If-Match', rule: 'matches-current-version', message: `current version is ${actualVersion}` },
    ]);
  }
}

/** An Idempotency-Key was reused with a different request body (HTTP 422). */
export class IdempotencyKeyReused extends RegistryError {
  readonly kind = 'idempotency-key-reused';
  constructor(readonly key: string) {
    super('this Idempotency-Key was already used with a different request', [
      { field: 'Idempotency-Key', rule: 'same-request-for-same-key' },
    ]);
  }
}

/** Authenticated, but the role or the token's partnerships do not allow this (HTTP 403). */
export class Forbidden extends RegistryError {
  readonly kind = 'forbidden';
}

/** The service is shutting down or a backing store is closed: retry later (HTTP 503). */
export class Unavailable extends RegistryError {
  readonly kind = 'unavailable';
}
