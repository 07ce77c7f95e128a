import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  ConcurrencyConflict,
  DomainRuleViolation,
  Forbidden,
  IdempotencyKeyReused,
  InvalidInput,
  NotFound,
  RegistryError,
  Unavailable,
  type ErrorDetail,
} from '@registry/shared-kernel';
import type { FastifyReply } from 'fastify';
import { errorBody, type ErrorBody } from './error-body';

const BODY_LIMIT: ErrorDetail = { field: 'body', rule: 'within-body-limit', message: 'the request body is larger than BODY_LIMIT_BYTES allows' };
const VALID_JSON: ErrorDetail = { field: 'body', rule: 'valid-json', message: 'the request body is not valid JSON' };

/** What Nest's own refusals of a body (raised before any DTO sees it) break, as they name no field. */
function unnamedDetails(status: number, message: string): ErrorDetail[] {
  if (status === 413) return [BODY_LIMIT];
  if (status === 400 && /not valid JSON|Unexpected token|JSON at position|Unexpected end of JSON/i.test(message)) return [VALID_JSON];
  return [];
}

const STATUS_BY_ERROR = new Map<Function, number>([
  [InvalidInput, 400],
  [Forbidden, 403],
  [NotFound, 404],
  [ConcurrencyConflict, 409],
  [DomainRuleViolation, 422],
  [IdempotencyKeyReused, 422],
  [Unavailable, 503],
]);

/**
 * Maps every error to `{statusCode, error, message, details}`: domain errors by class, Nest and
 * Fastify errors by their own status. Only a fault of ours is a 500, and it is logged.
 */
@Catch()
export class RegistryExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (exception instanceof ConcurrencyConflict) reply.header('ETag', `"${exception.actualVersion}"`);
    if (exception instanceof Unavailable) reply.header('Retry-After', '5');
    // A 503 is a known condition (a store closing, an index still building): no stack to read.
    if (exception instanceof Unavailable) this.logger.warn(exception.message);
    else if (body.statusCode >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof RegistryError) {
      const status = STATUS_BY_ERROR.get(exception.constructor) ?? 400;
      const extra = exception instanceof ConcurrencyConflict ? { currentVersion: exception.actualVersion } : {};
      return errorBody(status, exception.message, exception.details, extra);
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const unnamed = unnamedDetails(exception.getStatus(), exception.message);
      if (typeof response !== 'object' || response === null) return errorBody(exception.getStatus(), exception.message, unnamed);
      // Anything else the thrower said (e.g. how far the read models are) goes along.
      const { message: _message, details, statusCode: _statusCode, error: _error, ...extra } = response as Record<string, unknown>;
      return errorBody(exception.getStatus(), exception.message, Array.isArray(details) ? (details as ErrorDetail[]) : unnamed, extra);
    }
    return fastifyErrorBody(exception) ?? errorBody(500, 'internal error');
  }
}

/** Errors Fastify raises before routing (body too large, malformed JSON, media type) carry a 4xx. */
export function fastifyErrorBody(exception: unknown): ErrorBody | null {
  const error = exception as { statusCode?: unknown; message?: unknown; code?: unknown };
  if (typeof error?.statusCode !== 'number' || error.statusCode < 400 || error.statusCode >= 500) return null;
  const rule = typeof error.code === 'string' ? error.code.replace(/^FST_ERR_/, '').toLowerCase().replace(/_/g, '-') : 'request';
  return errorBody(error.statusCode, String(error.message), [{ field: 'body', rule }]);
}
