import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, RecordedEvent } from '@registry/event-store';
import type { ReadStore } from '@registry/read-store';
import { commitBatch } from './batch-commit';
import { BatchDocuments } from './batch-documents';
import {
  activeSet,
  type Checkpoint,
  checkpointWrite,
  type CollectionSet,
  initialCheckpoint,
  isVersionOf,
  loadCheckpoint,
  physicalName,
} from './checkpoint';
import type { Projection } from './projection';
import type { SharedLog } from './shared-log';

/** Events applied between two turns of the event loop. */
const YIELD_EVERY = 1000;

export type ProjectionState = 'catching-up' | 'live' | 'building' | 'failed' | 'stopped';

export interface RunnerOptions {
  /**
   * Most events read and applied in one catch-up batch (one commit). Large, because every batch
   * rewrites each document it touched in full, and some (a long timeline, a busy organisation)
   * are touched by events all over the log.
   */
  batchSize: number;
  /** Most events applied in one live batch: small, so that a commit holds the event loop briefly. */
  liveBatchSize: number;
  /** Whether `ReadStore.commit` is atomic (see `commitBatch`). */
  atomicCommit: boolean;
  /**
   * Live events queued beyond this many make the runner leave the shared reader and read the log
   * in batches again: a subscription has no backpressure, reads do.
   */
  highWaterMark: number;
  /**
   * Live, how long to let events gather before applying them, so that one batch rewrites a
   * document once for many events. 0 (the default) applies what has arrived at once: events that
   * come while a batch is applied make the next batch, so batches grow with the load anyway.
   */
  liveBatchWindowMs: number;
}

/** Progress of a build, for a progress bar: events applied so far out of the head position. */
export interface BuildProgress {
  projection: string;
  applied: number;
  head: number;
}

export type ProgressListener = (progress: BuildProgress) => void;

/**
 * Runs one projection: brings its collections up to the head of the log in batches, then follows
 * the log live. When the code's version is not the active one (or a rebuild is forced), it builds
 * fresh collections from position 1 while queries keep reading the active ones, then switches
 * the checkpoint to them and drops the old ones. An `apply` that throws stops this runner only;
 * the failing batch is not committed.
 */
export class ProjectionRunner {
  checkpoint: Checkpoint;
  error?: Error;
  private phase: 'catching-up' | 'live' = 'catching-up';
  private running?: Promise<void>;
  private isRunning = false;
  private stopping = false;
  /** Wakes the live loop when it waits for events, so that `stop` does not wait for one. */
  private wake?: () => void;
  private build?: { onProgress?: ProgressListener; resolve: () => void; reject: (error: Error) => void };

  constructor(
    readonly projection: Projection,
    private readonly eventStore: EventStore,
    /** Where the runner follows the log once caught up, with the other live runners. */
    private readonly log: SharedLog,
    private readonly readStore: ReadStore,
    private readonly options: RunnerOptions,
    /** Told after each commit and each failure (the runtime's `waitForPosition` listens). */
    private readonly changed: () => void,
  ) {
    this.checkpoint = initialCheckpoint(projection);
  }

  get state(): ProjectionState {
    if (this.error) return 'failed';
    if (!this.isRunning) return 'stopped';
    return this.checkpoint.building ? 'building' : this.phase;
  }

  /** The collections queries read; null before the first start. */
  get activeSet(): CollectionSet | null {
    return activeSet(this.checkpoint);
  }

  /** Loads the checkpoint, prepares a build if needed and starts running; `follow: false` stops once caught up. */
  async start(follow = true, forceRebuild = false): Promise<void> {
    if (this.isRunning) return;
    this.error = undefined;
    this.stopping = false;
    this.isRunning = true;
    try {
      this.checkpoint = await loadCheckpoint(this.readStore, this.projection);
      await this.prepare(forceRebuild);
    } catch (error) {
      this.isRunning = false;
      this.fail(error);
      return;
    }
    this.running = this.run(follow);
  }

  /** Builds the projection afresh and resolves once the new collections are active. */
  async rebuild(follow: boolean, onProgress?: ProgressListener): Promise<void> {
    await this.stop();
    const built = new Promise<void>((resolve, reject) => (this.build = { onProgress, resolve, reject }));
    built.catch(() => undefined); // awaited below; this only keeps an early failure from being reported as unhandled
    await this.start(follow, true);
    await built;
    if (!follow) await this.stop(); // its loop ends by itself once switched: wait for that
  }

  /** Stops reading and waits for the batch in flight to be committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async run(follow: boolean): Promise<void> {
    try {
      while (!this.stopping) {
        await this.catchUp();
        if (this.stopping) break;
        if (this.checkpoint.building) {
          await this.switchToBuilt();
          continue; // events may have come during the switch
        }
        this.build?.resolve(); // caught up on active collections: a rebuild is done
        this.build = undefined;
        if (!follow) break;
        await this.followLive();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.isRunning = false;
      this.build?.reject(new Error(`projection ${this.projection.name} stopped before its rebuild caught up`));
      this.build = undefined;
    }
  }

  /**
   * Starts a build when the code's version is not the active one or a rebuild is forced; a build
   * of this version already under way (interrupted by a stop, a crash or a failure) resumes from
   * its own position. A first run has nothing to keep serving, so it writes straight into active
   * collections. Drops collections of other versions.
   */
  private async prepare(forceRebuild: boolean): Promise<void> {
    const { version } = this.projection;
    const checkpoint = this.checkpoint;
    if (checkpoint.activeVersion === null) {
      await this.createCollections({ version, generation: 0 });
      await this.saveCheckpoint({ ...checkpoint, activeVersion: version, activeGeneration: 0, position: 0 });
    } else if (forceRebuild || (checkpoint.activeVersion !== version && checkpoint.building?.version !== version)) {
      const building = { version, generation: checkpoint.activeVersion === version ? checkpoint.activeGeneration + 1 : 0, position: 0 };
      await this.createCollections(building);
      await this.saveCheckpoint({ ...checkpoint, building });
    } else if (checkpoint.building && checkpoint.building.version !== version) {
      const { building: _abandoned, ...rest } = checkpoint; // a build of a version the code no longer has
      await this.saveCheckpoint(rest);
    }
    await this.dropOtherVersions();
  }

  /** Empty collections with the declared indexes (created first: cheaper than on a full collection). */
  private async createCollections(set: CollectionSet): Promise<void> {
    for (const { name, indexes } of this.projection.collections) {
      const physical = physicalName(name, set);
      await this.readStore.dropCollection(physical); // leftovers of an abandoned build
      for (const { keys, unique, name: indexName } of indexes) {
        await this.readStore.collection(physical).createIndex(keys, { unique, name: indexName });
      }
    }
  }

  private async catchUp(): Promise<void> {
    this.phase = 'catching-up';
    while (!this.stopping) {
      const events = await this.log.read(this.position + 1, this.options.batchSize);
      if (events.length > 0) await this.applyBatch(events);
      if (events.length < this.options.batchSize) return;
    }
  }

  /**
   * Follows the log live through the shared reader until stopped, or until it falls behind by more
   * than the high-water mark; returns at once when the shared reader is too far ahead to join.
   */
  private async followLive(): Promise<void> {
    const queue: RecordedEvent[] = [];
    let failure: unknown;
    const membership = this.log.join(this.position + 1, {
      next: (event) => {
        queue.push(event);
        this.wake?.();
      },
      error: (error: unknown) => {
        failure = error;
        this.wake?.();
      },
      complete: () => {
        this.stopping = true; // the event store closed: nothing more to read
        this.wake?.();
      },
    });
    if (!membership) return; // catch up on its own reads first
    this.phase = 'live';
    try {
      while (!this.stopping) {
        if (failure) throw failure;
        if (queue.length > this.options.highWaterMark) return;
        if (queue.length === 0) {
          // The shared reader hands over each read's events synchronously, so when this wakes up
          // the queue holds all of them: a batch is whatever has arrived, without waiting for more.
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          continue;
        }
        if (queue.length < this.options.liveBatchSize && this.options.liveBatchWindowMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.options.liveBatchWindowMs));
          if (this.stopping) break;
        }
        await this.applyBatch(queue.splice(0, this.options.liveBatchSize));
      }
    } finally {
      membership.leave();
    }
  }

  /** Applies events through a unit of work and commits its writes with the advanced checkpoint. */
  private async applyBatch(events: RecordedEvent[]): Promise<void> {
    const building = this.checkpoint.building;
    const documents = new BatchDocuments(this.readStore, this.physicalNames(building ?? activeSet(this.checkpoint)!));
    for (const [index, event] of events.entries()) {
      // A catch-up batch is long: let requests, and the other runners applying the same batch, in.
      if (index > 0 && index % YIELD_EVERY === 0) await nextTurn();
      documents.position = event.globalPosition;
      await this.projection.apply(event, documents);
    }
    // Events the projection ignored advance the checkpoint too.
    const position = events[events.length - 1].globalPosition;
    const next = this.stamp(building ? { ...this.checkpoint, building: { ...building, position } } : { ...this.checkpoint, position });
    await commitBatch(this.readStore, this.options.atomicCommit, documents.writes(!this.options.atomicCommit), checkpointWrite(next));
    this.checkpoint = next;
    this.changed();
    if (this.build?.onProgress) {
      this.build.onProgress({ projection: this.projection.name, applied: position, head: await this.eventStore.headPosition() });
    }
    // With SQLite and the embedded store every read and commit is synchronous underneath: without
    // this, a catch-up would hold the event loop (HTTP requests, timers) until it reached the head.
    await nextTurn();
  }

  /** Makes the caught-up build active in one checkpoint write, then drops the old collections. */
  private async switchToBuilt(): Promise<void> {
    const { building, ...checkpoint } = this.checkpoint;
    if (!building) return;
    const previous = activeSet(checkpoint);
    await this.saveCheckpoint({ ...checkpoint, activeVersion: building.version, activeGeneration: building.generation, position: building.position });
    if (previous) {
      for (const physical of this.physicalNames(previous).values()) await this.readStore.dropCollection(physical);
    }
  }

  /** Leftovers of versions neither active nor being built (e.g. a crash after a switch). */
  private async dropOtherVersions(): Promise<void> {
    const kept = new Set([activeSet(this.checkpoint), this.checkpoint.building].flatMap((set) => (set ? [...this.physicalNames(set).values()] : [])));
    for (const name of await this.readStore.listCollections()) {
      const ours = this.projection.collections.some((collection) => isVersionOf(collection.name, name));
      if (ours && !kept.has(name)) await this.readStore.dropCollection(name);
    }
  }

  private get position(): number {
    return this.checkpoint.building?.position ?? this.checkpoint.position;
  }

  private physicalNames(set: CollectionSet): Map<string, string> {
    return new Map(this.projection.collections.map(({ name }) => [name, physicalName(name, set)]));
  }

  private async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const stamped = this.stamp(checkpoint);
    await this.readStore.commit([checkpointWrite(stamped)]);
    this.checkpoint = stamped;
    this.changed();
  }

  private stamp(checkpoint: Checkpoint): Checkpoint {
    return { ...checkpoint, version: this.projection.version, updatedAt: new Date().toISOString() };
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error : new Error(String(error));
    this.build?.reject(this.error);
    this.build = undefined;
    this.changed();
  }
}
