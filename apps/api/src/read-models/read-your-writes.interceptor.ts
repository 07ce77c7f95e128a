import { GatewayTimeoutException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import type { ReadModels } from '@registry/read-side';
import { InvalidInput } from '@registry/shared-kernel';
import type { FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import type { AsOfParams } from '../time-travel/as-of-query';
import { AsOfService } from '../time-travel/as-of.service';
import { READ_MODELS } from './read-side.tokens';

/**
 * `?minPosition=N` (N is the `X-Event-Position` a write answered): the query waits until every
 * read model has applied event N, so a client reads its own writes; past the bound, a 504 that
 * says how far the read models are.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_MODELS) private readonly runtime: ReadModels,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly asOf: AsOfService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown>;
    const raw = query.minPosition;
    if (raw === undefined) return next.handle();
    const position = Number(raw);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new InvalidInput('minPosition must be a whole number, an X-Event-Position', [{ field: 'minPosition', rule: 'isInt' }]);
    }
    // An as-of answer comes from the time-travel engines, which follow the log on their own.
    const asksAsOf = AsOfService.asks(query as AsOfParams) || query.sessions !== undefined;
    return from(asksAsOf ? this.waitForAsOf(position) : this.runtime.waitForPosition(position, this.config.minPositionWaitMs)).pipe(
      switchMap((reached) => {
        if (reached) return next.handle();
        return from(this.appliedPosition(asksAsOf)).pipe(
          switchMap((applied) => {
            throw new GatewayTimeoutException({
              message: `the read models have applied events up to position ${applied}, not yet ${position}`,
              details: [{ field: 'minPosition', rule: 'applied-within-bound' }],
              appliedPosition: applied,
            });
          }),
        );
      }),
    );
  }

  private async appliedPosition(asksAsOf: boolean): Promise<number> {
    if (asksAsOf) return (await this.asOf.started?.positionAt(null)) ?? 0;
    return Math.min(...(await this.runtime.status()).map((projection) => projection.position));
  }

  /** Read models and engines both: an as-of answer may also read the read models (organisations). */
  private async waitForAsOf(position: number): Promise<boolean> {
    const engine = await this.asOf.timeTravel();
    const [engines, readModels] = await Promise.all([
      engine.waitForPosition(position, this.config.minPositionWaitMs),
      this.runtime.waitForPosition(position, this.config.minPositionWaitMs),
    ]);
    return engines && readModels;
  }
}
