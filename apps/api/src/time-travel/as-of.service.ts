import { HttpException, HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { InvalidInput, toInstant, Unavailable } from '@registry/shared-kernel';
import type { AsOfEngine } from '@registry/read-side';
import { SessionCatalog, type AsOf } from '@registry/time-travel';
import type { AsOfParams } from './as-of-query';

/** An as-of point as a request asked for it: the `AsOf` plus the session it came from, if any. */
export interface RequestedAsOf extends AsOf {
  session: string | null;
}

/** What every as-of answer carries at its top level, so a client knows what it got. */
export interface AsOfEcho {
  /** Effective time answered (ISO instant). */
  asOf: string;
  /** Transaction time answered; null = everything recorded (up to `position`). */
  knownAt: string | null;
  /** The session `asOf` came from; null when asked by date. */
  session: string | null;
  /** Global position of the last event the answer could reflect: P(knownAt), or the engine's applied head. */
  position: number;
}

/** The engine, absent in a read-only API (which serves a replay, not the log). */
export const TIME_TRAVEL_ENGINE = Symbol('TIME_TRAVEL_ENGINE');

/**
 * Turns `asOf` / `knownAt` / `session` into an as-of point and hands out the engines.
 * - none of them: null, the current state (the read models);
 * - `asOf=T`: (T, everything recorded); `session=S`: T = S's cut-off, else its start;
 * - `knownAt=K` alone: (K, K), the registry as it showed itself at K (an event is never recorded
 *   before it takes effect, so this is also (now, K) for every read model; only statuses that
 *   depend on the clock, like compliance, are then evaluated at K);
 * - `session` with `asOf`: refused, they say the same thing twice.
 */
@Injectable()
export class AsOfService {
  private readonly logger = new Logger('TimeTravel');
  private ready?: Promise<void>;
  private isReady = false;
  private failure?: Error;

  constructor(
    readonly sessions: SessionCatalog,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    @Optional() @Inject(TIME_TRAVEL_ENGINE) private readonly engine: AsOfEngine | null,
  ) {}

  /** Starts the engines in the background: the API serves current reads at once, as-of reads wait for them. */
  start(): void {
    if (!this.engine || this.ready) return;
    this.ready = this.engine.start().then(
      () => {
        this.isReady = true;
      },
      (error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.logger.error(`the as-of engines did not start: ${this.failure.message}`);
      },
    );
  }

  /** Stops the engines, interrupting a start-up build in progress (the next start resumes from what it saved). */
  async stop(): Promise<void> {
    if (!this.engine || !this.ready) return;
    await this.engine.stop();
    await this.ready;
  }

  /** Whether the request asks for a past point at all. */
  static asks(params: AsOfParams): boolean {
    return params.asOf !== undefined || params.knownAt !== undefined || params.session !== undefined;
  }

  resolve(params: AsOfParams): RequestedAsOf | null {
    if (!AsOfService.asks(params)) return null;
    if (params.session !== undefined && params.asOf !== undefined) {
      throw new InvalidInput('give either session or asOf, not both: a session stands for a date', [
        { field: 'session', rule: 'not-with-asOf', message: 'session and asOf are exclusive' },
      ]);
    }
    let asOf: string;
    if (params.session !== undefined) {
      const session = this.sessions.get(params.session);
      if (!session) {
        throw new InvalidInput(`session "${params.session}" is not a known session; valid ids: ${this.sessions.ids.join(', ')}`, [
          { field: 'session', rule: 'known-session', message: `one of ${this.sessions.ids.join(', ')}` },
        ]);
      }
      asOf = session.asOf;
    } else {
      asOf = toInstant((params.asOf ?? params.knownAt)!);
    }
    const knownAt = params.knownAt === undefined ? null : toInstant(params.knownAt);
    return { asOf, knownAt, session: params.session ?? null };
  }

  /**
   * The engines, once started. While they build their index at start-up, a request waits up to
   * MIN_POSITION_WAIT_MS, then gets a 503 (Retry-After) saying how far the build is; a 503 when
   * they could not start; a 400 on a read-only replay.
   */
  async timeTravel(): Promise<AsOfEngine> {
    if (!this.engine) {
      const what = this.config.replay ? `the replay "${this.config.replay}"` : 'a read-only read store';
      throw new InvalidInput(`asOf, knownAt and session are not available here: this API serves ${what} as it was built (see GET /admin/projections)`, [
        { field: 'asOf', rule: 'not-read-only' },
      ]);
    }
    this.start();
    if (!this.isReady && !this.failure) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.ready, new Promise((resolve) => (timer = setTimeout(resolve, this.config.minPositionWaitMs)))]);
      clearTimeout(timer);
      if (!this.isReady && !this.failure) {
        const applied = await this.engine.positionAt(null);
        throw new Unavailable(`the as-of index is still being built at start-up (applied up to event ${applied}); retry shortly`, [
          { field: 'asOf', rule: 'index-built' },
        ]);
      }
    }
    if (this.failure) {
      throw new HttpException(
        { message: `the as-of engines are unavailable: ${this.failure.message}`, details: [{ field: 'asOf', rule: 'engine-available' }] },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return this.engine;
  }

  /** The engines, when a request asked for a past point (used by the read-your-writes wait). */
  get started(): AsOfEngine | null {
    return this.engine && this.isReady ? this.engine : null;
  }

  async echo(point: RequestedAsOf): Promise<AsOfEcho> {
    const engine = await this.timeTravel();
    return { asOf: point.asOf, knownAt: point.knownAt, session: point.session, position: await engine.positionAt(point.knownAt) };
  }
}
