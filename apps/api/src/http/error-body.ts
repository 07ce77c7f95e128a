import { STATUS_CODES } from 'node:http';
import type { ErrorDetail } from '@registry/shared-kernel';

/** The JSON every error response carries. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ErrorDetail[];
  [extra: string]: unknown;
}

export function errorBody(statusCode: number, message: string, details: ErrorDetail[] = [], extra: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details, ...extra };
}
