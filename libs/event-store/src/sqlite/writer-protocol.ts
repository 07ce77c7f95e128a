import { ConcurrencyConflict, IdempotencyKeyReused, InvalidInput, type ErrorDetail } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { AppendResult } from '../event-store.port';

/** Messages between the store (main thread) and its writer thread. */
export interface WriterData {
  filePath: string;
  busyTimeoutMs: number;
}

export type ToWriter = { kind: 'commit'; id: number; batch: PendingAppend[] } | { kind: 'close' };

export type FromWriter =
  | { kind: 'committed'; id: number; outcomes: SettledAppend[] }
  | { kind: 'failed'; id: number; error: SerializedError };

export type SettledAppend = { status: 'fulfilled'; value: AppendResult } | { status: 'rejected'; reason: SerializedError };

/** Errors cross the thread boundary as plain data and are rebuilt as the same classes. */
export type SerializedError =
  | { name: 'ConcurrencyConflict'; streamId: string; expectedVersion: number | 'any'; actualVersion: number }
  | { name: 'IdempotencyKeyReused'; key: string }
  | { name: 'InvalidInput'; message: string; details: ErrorDetail[] }
  | { name: 'Error'; message: string; code?: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ConcurrencyConflict) {
    const { streamId, expectedVersion, actualVersion } = error;
    return { name: 'ConcurrencyConflict', streamId, expectedVersion, actualVersion };
  }
  if (error instanceof IdempotencyKeyReused) return { name: 'IdempotencyKeyReused', key: error.key };
  if (error instanceof InvalidInput) return { name: 'InvalidInput', message: error.message, details: error.details };
  const { message, code } = error as { message?: string; code?: string };
  return { name: 'Error', message: message ?? String(error), ...(code && { code }) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.name) {
    case 'ConcurrencyConflict':
      return new ConcurrencyConflict(error.streamId, error.expectedVersion, error.actualVersion);
    case 'IdempotencyKeyReused':
      return new IdempotencyKeyReused(error.key);
    case 'InvalidInput':
      return new InvalidInput(error.message, error.details);
    default:
      return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
  }
}
