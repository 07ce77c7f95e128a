import { ConcurrencyConflict, DomainRuleViolation, Forbidden, IdempotencyKeyReused, InvalidInput, NotFound, Unavailable, type ErrorDetail } from './errors';

/** An error as plain data, to cross a thread boundary and be rebuilt as the same class (so it maps to the same HTTP status). */
export type SerializedError =
  | { name: 'ConcurrencyConflict'; streamId: string; expectedVersion: number | 'any'; actualVersion: number }
  | { name: 'IdempotencyKeyReused'; key: string }
  | { name: 'InvalidInput' | 'NotFound' | 'Forbidden' | 'Unavailable' | 'DomainRuleViolation'; message: string; details: ErrorDetail[] }
  | { name: 'Error'; message: string; code?: string | number; stack?: string };

const WITH_DETAILS = { InvalidInput, NotFound, Forbidden, Unavailable } as const;

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ConcurrencyConflict) {
    const { streamId, expectedVersion, actualVersion } = error;
    return { name: 'ConcurrencyConflict', streamId, expectedVersion, actualVersion };
  }
  if (error instanceof IdempotencyKeyReused) return { name: 'IdempotencyKeyReused', key: error.key };
  if (error instanceof DomainRuleViolation) return { name: 'DomainRuleViolation', message: error.message, details: error.details };
  for (const [name, type] of Object.entries(WITH_DETAILS)) {
    if (error instanceof type) return { name: name as keyof typeof WITH_DETAILS, message: error.message, details: error.details };
  }
  const { message, code, stack } = (error ?? {}) as { message?: string; code?: string | number; stack?: string };
  return { name: 'Error', message: message ?? String(error), ...(code !== undefined && { code }), ...(stack && { stack }) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.name) {
    case 'ConcurrencyConflict':
      return new ConcurrencyConflict(error.streamId, error.expectedVersion, error.actualVersion);
    case 'IdempotencyKeyReused':
      return new IdempotencyKeyReused(error.key);
    case 'DomainRuleViolation': {
      const [{ field, rule }] = error.details;
      return new DomainRuleViolation(field, rule, error.message);
    }
    case 'Error':
      // The thread's stack says where it failed; this side's would only say where the reply arrived.
      return Object.assign(new Error(error.message), error.code !== undefined ? { code: error.code } : {}, error.stack ? { stack: error.stack } : {});
    default:
      return new WITH_DETAILS[error.name](error.message, error.details);
  }
}
