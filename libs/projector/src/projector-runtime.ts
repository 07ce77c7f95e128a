import type { EventStore } from '@registry/event-store';
import { type Document, EmbeddedReadStore, type ReadCollection, type ReadDocument, type ReadStore } from '@registry/read-store';
import { physicalName } from './checkpoint';
import { PositionWaiters } from './position-waiters';
import type { Projection } from './projection';
import { type ProgressListener, ProjectionRunner, type ProjectionState, type RunnerOptions } from './projection-runner';
import { SharedLog } from './shared-log';

/**
 * Defaults: catch-up batches of up to 20,000 events, live ones of up to 2,000, no live batching
 * window, high-water mark 20,000, atomic commits on the embedded store only.
 */
export type ProjectorRuntimeOptions = Partial<RunnerOptions>;

export interface ProjectionStatus {
  name: string;
  /** The version the code runs. */
  version: number;
  /** The version queries read; null before the first run. */
  activeVersion: number | null;
  /** Last position applied to the collections queries read. */
  position: number;
  building?: { version: number; position: number };
  headPosition: number;
  lagEvents: number;
  /** How long ago the oldest event not yet applied was recorded; 0 when there is none. */
  lagMs: number;
  state: ProjectionState;
  error?: string;
}

/**
 * Runs projections over the event log into the read store, each with its own checkpoint in
 * `projector_checkpoints` (the live ones share one reader of the log, see `SharedLog`), and tells
 * the query side which physical collections to read (`<logical>__v<version>`, see `checkpoint.ts`).
 * A plain class so that the API, the CLI and tests can run it; a Nest module only has to
 * construct, start and stop it.
 */
export class ProjectorRuntime {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly waiters = new PositionWaiters();
  private started = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly Projection[],
    options: ProjectorRuntimeOptions = {},
  ) {
    // Only the embedded store commits several collections atomically; MongoDB needs guarded writes.
    const runnerOptions: RunnerOptions = {
      batchSize: options.batchSize ?? 20_000,
      liveBatchSize: options.liveBatchSize ?? 2000,
      highWaterMark: options.highWaterMark ?? 20_000,
      // No window: at 1,000 commands/s (read bench's lag run) a 20 ms one gave a median lag of 51-54
      // ms against 14-20 without, and the write bench's commands per second did not change (3,568 both).
      liveBatchWindowMs: options.liveBatchWindowMs ?? 0,
      atomicCommit: options.atomicCommit ?? readStore instanceof EmbeddedReadStore,
    };
    // Retaining a live batch's worth lets a runner join although events came during its last catch-up batch.
    const log = new SharedLog(eventStore, runnerOptions.liveBatchSize);
    const logical = new Set<string>();
    for (const projection of projections) {
      if (this.runners.has(projection.name)) throw new Error(`two projections are named "${projection.name}"`);
      for (const { name } of projection.collections) {
        if (logical.has(name)) throw new Error(`collection "${name}" is declared by two projections`);
        logical.add(name);
      }
      this.runners.set(projection.name, new ProjectionRunner(projection, eventStore, log, readStore, runnerOptions, () => this.waiters.notify()));
    }
  }

  /** Loads the checkpoints and starts every projection (building those whose version changed). */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  /** Stops every projection once its batch in flight is committed. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.waiters.notify();
  }

  /**
   * Rebuilds one projection (or all, together: they read the log once, see `SharedLog.read`) into
   * fresh collections and resolves when they are active. Queries read the old collections
   * meanwhile. When the runtime is not started (a CLI command), the projections stop once rebuilt;
   * otherwise they go on live. Rejects with the first failure, once every rebuild has ended.
   */
  async rebuild(name?: string, { onProgress }: { onProgress?: ProgressListener } = {}): Promise<void> {
    const runners = name === undefined ? [...this.runners.values()] : [this.runner(name)];
    const outcomes = await Promise.allSettled(runners.map((runner) => runner.rebuild(this.started, onProgress)));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** The physical collection a logical collection (or a projection with a single collection) is read from. */
  collectionName(name: string): string {
    for (const runner of this.runners.values()) {
      const { collections } = runner.projection;
      const logical = collections.find((collection) => collection.name === name)?.name ?? (runner.projection.name === name && collections.length === 1 ? collections[0].name : undefined);
      if (logical === undefined) continue;
      const set = runner.activeSet;
      if (!set) throw new Error(`projection ${runner.projection.name} has no collections yet: start the runtime first`);
      return physicalName(logical, set);
    }
    throw new Error(`no projection declares a collection "${name}"`);
  }

  collection<T extends Document = ReadDocument>(name: string): ReadCollection<T> {
    return this.readStore.collection<T>(this.collectionName(name));
  }

  async status(): Promise<ProjectionStatus[]> {
    const headPosition = await this.eventStore.headPosition();
    return Promise.all(
      [...this.runners.values()].map(async (runner) => {
        const { projection, checkpoint, error, state } = runner;
        const position = checkpoint.position;
        const lagEvents = Math.max(0, headPosition - position);
        const [oldestUnapplied] = lagEvents > 0 ? await this.eventStore.readAll(position + 1, 1) : [];
        return {
          name: projection.name,
          version: projection.version,
          activeVersion: checkpoint.activeVersion,
          position,
          ...(checkpoint.building && { building: { version: checkpoint.building.version, position: checkpoint.building.position } }),
          headPosition,
          lagEvents,
          lagMs: oldestUnapplied ? Math.max(0, Date.now() - Date.parse(oldestUnapplied.metadata.recordedAt)) : 0,
          state,
          ...(error && { error: error.message }),
        };
      }),
    );
  }

  /**
   * Resolves true once every projection (or those named) has applied `position` to the
   * collections queries read; false after `timeoutMs`, or at once when one of them has failed.
   */
  waitForPosition(position: number, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const runners = names ? names.map((name) => this.runner(name)) : [...this.runners.values()];
    return this.waiters.wait(
      () => runners.every((runner) => runner.checkpoint.position >= position),
      () => runners.some((runner) => runner.error),
      timeoutMs,
    );
  }

  private runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`no projection is named "${name}"`);
    return runner;
  }
}
