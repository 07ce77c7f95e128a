import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { IsEffectiveDate } from '@registry/commands';
import { IsOptional, IsString, Matches } from 'class-validator';

type Constructor<T = object> = new (...args: any[]) => T;

/** The parameters every as-of endpoint accepts (see README, "Time travel"). */
export interface AsOfParams {
  asOf?: string;
  knownAt?: string;
  session?: string;
}

/**
 * Adds `asOf`, `knownAt` and `session` to a query DTO. Validation names the field: a date
 * `YYYY-MM-DD` (00:00 UTC that day) or an ISO 8601 date-time with an offset. Whether they go
 * together (and what a session stands for) is `AsOfResolver`'s business.
 */
export function WithAsOf<Base extends Constructor>(Base: Base) {
  class AsOfQuery extends Base implements AsOfParams {
    /** Effective time T: only events that took effect at or before T. */
    @IsOptional() @IsEffectiveDate()
    asOf?: string;

    /** Transaction time K: only events recorded at or before K (default: everything recorded). */
    @IsOptional() @IsEffectiveDate()
    knownAt?: string;

    /** A session id of `GET /sessions`: asOf = its cut-off date, else its start. */
    @IsOptional() @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'session must be a session id of GET /sessions, e.g. CSD-18' })
    session?: string;
  }
  return AsOfQuery;
}

/** OpenAPI: the three as-of parameters of an endpoint. */
export const ApiAsOfQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'asOf',
      required: false,
      description: 'Effective time T (YYYY-MM-DD = 00:00 UTC, or an ISO date-time): the registry as the world was at T. The answer echoes `asOf`, `knownAt`, `session` and `position`.',
      example: '2010-02-01',
    }),
    ApiQuery({
      name: 'knownAt',
      required: false,
      description: 'Transaction time K: only what the registry had recorded by K (default: everything recorded). Alone, it means asOf = knownAt: the registry as it showed itself at K.',
    }),
    ApiQuery({ name: 'session', required: false, description: 'A session id of GET /sessions instead of asOf: its cut-off date, else its start (CSD-18 → 2010-02-01)', example: 'CSD-18' }),
  );
