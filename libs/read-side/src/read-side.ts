import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { createEventStore, type EventStore } from '@registry/event-store';
import { CHECKPOINTS, ProjectorRuntime, type Checkpoint, type ProjectionStatus } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore, type Document, type ReadCollection, type ReadDocument, type ReadStore } from '@registry/read-store';
import { FrozenEventLog, REPLAY_INFO, TimeTravel, type ReplayInfo } from '@registry/time-travel';

/** What queries read of a collection: the read methods of the read store port. */
export type QueryCollection<T extends Document = ReadDocument> = Pick<ReadCollection<T>, 'find' | 'findOne' | 'countDocuments' | 'aggregate'>;

/** The read models as queries see them (the `ProjectorRuntime` is one). */
export interface ReadModels {
  /** The logical collection (`partnerships`, `audit`, …) in the version queries read. */
  collection<T extends Document = ReadDocument>(name: string): QueryCollection<T>;
  status(): Promise<ProjectionStatus[]>;
  /** True once every projection (or those named) has applied `position`; false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number, names?: readonly string[]): Promise<boolean>;
}

/** The as-of engines as queries see them (`TimeTravel` is one). */
export type AsOfEngine = Pick<
  TimeTravel,
  'start' | 'stop' | 'positionAt' | 'trends' | 'partnership' | 'organisation' | 'partnerships' | 'compliance' | 'complianceCounts' | 'waitForPosition'
>;

/**
 * Everything that turns the log into answers: the read store, the projections keeping it up to
 * date, and the as-of engines (absent in a read-only API, which serves a store as it was built).
 */
export interface ReadSide {
  readonly readModels: ReadModels;
  readonly asOf: AsOfEngine | null;
  /** Loads the checkpoints and starts every projection (the as-of engines start on their own, see `AsOfEngine.start`). */
  start(): Promise<void>;
  /** Stops the projections once their batch in flight is committed. */
  stop(): Promise<void>;
  /** Closes the stores. */
  close(): Promise<void>;
}

/** The read side on the caller's thread, over stores it opened itself. */
export class LocalReadSide implements ReadSide {
  private constructor(
    readonly readModels: ProjectorRuntime,
    readonly asOf: TimeTravel | null,
    private readonly readStore: ReadStore,
    private readonly eventStore: EventStore,
  ) {}

  /**
   * Opens the stores the configuration names. Read-only (`READ_ONLY`, `REPLAY`): the runtime runs
   * over a log frozen at the store's position, so it only loads the checkpoints (which
   * collections to read) and never writes, and there are no as-of engines.
   */
  static async open(config: RegistryConfig): Promise<LocalReadSide> {
    const events = await createEventStore(config.eventStoreUrl);
    try {
      const reads = await createReadStore(config.readStoreUrl);
      const options = { batchSize: config.projectorBatchSize };
      const log = config.readOnly ? new FrozenEventLog(events, await frozenPosition(reads)) : events;
      const runtime = new ProjectorRuntime(log, reads, allProjections(config.reporting), options);
      const asOf = config.readOnly
        ? null
        : new TimeTravel(events, runtime, { policy: config.reporting, snapshotFile: path.join(config.dataDir, 'time-travel-index.snapshot') });
      return new LocalReadSide(runtime, asOf, reads, events);
    } catch (error) {
      await events.close();
      throw error;
    }
  }

  start(): Promise<void> {
    return this.readModels.start();
  }

  stop(): Promise<void> {
    return this.readModels.stop();
  }

  async close(): Promise<void> {
    await this.readStore.close();
    await this.eventStore.close();
  }
}

/** The position a read-only store stands at: its replay's, else the lowest checkpoint. */
async function frozenPosition(reads: ReadStore): Promise<number> {
  const info = await reads.collection<ReplayInfo>(REPLAY_INFO).findOne({ _id: 'replay' });
  if (info) return info.position;
  const checkpoints = await reads.collection<Checkpoint>(CHECKPOINTS).find({}).toArray();
  if (checkpoints.length === 0) new Logger('ReadOnly').warn('the read store has no read models: build one with `registry replay --into NAME`');
  return checkpoints.length === 0 ? 0 : Math.min(...checkpoints.map((checkpoint) => checkpoint.position));
}
