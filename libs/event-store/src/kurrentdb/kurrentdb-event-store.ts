import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
  type StreamSubscription,
} from '@kurrent/kurrentdb-client';
import { GroupCommit, Unavailable } from '@registry/shared-kernel';
import { Observable, Subject } from 'rxjs';
import { EVENT_STORE_CLOSED, type PendingAppend, planAppendBatch } from '../append-batch';
import { catchUpSubscription } from '../catch-up-subscription';
import { rowToEvent } from '../event-row';
import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  IdempotencyRecord,
  NewEvent,
  RecordedEvent,
  StreamFromSnapshot,
} from '../event-store.port';
import { LogIndex, recordsByLastPosition } from './log-index';

export interface KurrentDbEventStoreOptions {
  /** The KurrentDB stream that holds the registry's log. Default `registry-log`. */
  logStream?: string;
  /**
   * Most `append`/`appendMulti` calls written in one KurrentDB append. Default 64: a server
   * refuses an append above its `MaxAppendSize` (1 MiB by default), and a batch is one append.
   */
  maxBatchSize?: number;
  /** Safety-net re-read interval of subscriptions (ms); the live KurrentDB subscription is the usual signal. Default 500. */
  pollIntervalMs?: number;
}

/** KurrentDB's own metadata of a log event: the idempotency record of the append it ends, if any. */
interface LogEventMetadata {
  idempotency?: IdempotencyRecord;
}

/** Reads of the log go in pages of this many events. */
const PAGE = 1000;
/** Appends that lose the race for the log's next revision are decided again, this many times at most. */
const MAX_WRITE_ATTEMPTS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The event store on KurrentDB (or EventStoreDB), through the official client.
 *
 * KurrentDB gives each of its streams dense revisions and makes one append to one stream atomic,
 * but it has no transaction across streams and its `$all` positions are sparse. The registry
 * needs gap-free global positions, one hash chain, and atomic multi-stream appends. So every
 * event of every partnership goes to one KurrentDB stream, the log (`registry-log`):
 * - global position = the log revision + 1, gap-free by construction;
 * - one registry batch (a merge's two streams included) is one append to the log: all or nothing;
 * - each append expects the log's current revision, so appends from every process are serial,
 *   as PostgreSQL's row lock on `log_head` makes them, and each event's hash chains to the one
 *   before it. An append that loses the race catches up and is decided again.
 *
 * The registry's streams are then a view: a `LogIndex` (stream → positions, event ids,
 * idempotency records) that each instance folds from the log and brings up to date before every
 * decision and every read by stream. Opening a store reads the whole log once to build it.
 * Idempotency records travel in KurrentDB's metadata of the last event of their append, so they
 * commit with it. An append of no events has no event to carry its record: a repeat of it is
 * decided again instead of replayed (it writes nothing either way).
 *
 * Events are never updated or deleted; KurrentDB's event `created` time is not used (the
 * registry's `recordedAt` comes from this process's clock, never before the head's).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<PendingAppend, AppendResult>;
  private readonly index = new LogIndex();
  private readonly logStream: string;
  /** The one catch-up of the index in progress, which every caller waits for. */
  private syncing: Promise<void> | null = null;
  private live: StreamSubscription | null = null;
  private closed = false;

  static async open(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(connectionString);
    const store = new KurrentDbEventStore(client, options);
    try {
      await store.syncIndex(); // fails here, at start-up, when the server cannot be reached
    } catch (error) {
      await store.close().catch(() => undefined);
      // Not the connection string: it may hold a password.
      throw new Unavailable(`the KurrentDB event store cannot read its log stream ${store.logStream}: ${describe(error)}`);
    }
    store.listen();
    return store;
  }

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.logStream = options.logStream ?? 'registry-log';
    this.groupCommit = new GroupCommit((batch) => this.writeBatch(batch), {
      maxBatchSize: options.maxBatchSize ?? 64,
      closedMessage: EVENT_STORE_CLOSED,
    });
  }

  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expectedVersion }], options);
  }

  appendMulti(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult> {
    return this.groupCommit.submit({ requests, options });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    await this.syncIndex();
    const events: RecordedEvent[] = [];
    for (const [from, count] of runs(this.index.streamPositions(streamId, fromVersion))) {
      events.push(...(await this.readAll(from, count)));
    }
    return events;
  }

  /**
   * Keeps no snapshots (an `AppendRequest.snapshot` is not written): KurrentDB would need a
   * second stream per partnership, outside the one log stream that makes a batch atomic.
   */
  async readStreamFromSnapshot(streamId: string): Promise<StreamFromSnapshot> {
    return { snapshot: null, events: await this.readStream(streamId) };
  }

  async streamVersion(streamId: string): Promise<number> {
    await this.syncIndex();
    return this.index.streamVersion(streamId);
  }

  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    return (await this.readLog(fromPosition, limit)).map(({ event }) => event);
  }

  async headPosition(): Promise<number> {
    try {
      for await (const resolved of this.client.readStream(this.logStream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return Number(resolved.event.revision) + 1;
      }
      return 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw error;
    }
  }

  subscribe(fromPosition: number): Observable<RecordedEvent> {
    return catchUpSubscription((from, limit) => this.readAll(from, limit), this.appended, {
      fromPosition,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
    });
  }

  async findIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    await this.syncIndex();
    return this.index.idempotencyRecord(key);
  }

  /** Lets queued appends commit, completes the subscriptions, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit.close();
    this.appended.complete();
    await this.live?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  /** Events of the log from `fromPosition` on, each with the idempotency record it carries. */
  private async readLog(fromPosition: number, limit: number): Promise<{ event: RecordedEvent; idempotency?: IdempotencyRecord }[]> {
    const read: { event: RecordedEvent; idempotency?: IdempotencyRecord }[] = [];
    try {
      const events = this.client.readStream(this.logStream, { fromRevision: BigInt(Math.max(1, fromPosition) - 1), maxCount: limit });
      for await (const resolved of events) read.push(fromLogEvent(resolved));
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return read;
  }

  /** Brings the index up to the log's head; concurrent callers share one catch-up. */
  private syncIndex(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        for (;;) {
          const page = await this.readLog(this.index.headPosition + 1, PAGE);
          for (const { event, idempotency } of page) this.index.fold(event, idempotency);
          if (page.length < PAGE) return;
        }
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  /**
   * Tells subscriptions of events other processes append. A dropped subscription is replaced,
   * with a growing delay; subscriptions poll meanwhile.
   */
  private listen(delayMs = 100): void {
    if (this.closed) return;
    const live = this.client.subscribeToStream(this.logStream, { fromRevision: END });
    this.live = live;
    live.on('data', () => this.appended.next());
    live.on('error', () => {
      if (this.closed || this.live !== live) return;
      this.live = null;
      setTimeout(() => this.listen(Math.min(delayMs * 2, 5000)), delayMs).unref();
    });
  }

  /**
   * Decides the batch on the index as of the log's head and appends it expecting that head; if
   * another process appended first, catches up and decides again.
   */
  private async writeBatch(batch: PendingAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    for (let attempt = 1; ; attempt++) {
      await this.syncIndex();
      const head = this.index.headPosition;
      const plan = planAppendBatch(batch, this.index.batchState(batch), new Date().toISOString());
      if (plan.events.length === 0) return plan.outcomes;
      const carried = recordsByLastPosition(plan.idempotencyRecords);
      const events = plan.events.map((row) => {
        const metadata: LogEventMetadata = carried.has(row.globalPosition) ? { idempotency: carried.get(row.globalPosition) } : {};
        return { event: rowToEvent(row), metadata };
      });
      try {
        await this.client.appendToStream(
          this.logStream,
          events.map(({ event, metadata }) =>
            jsonEvent({ id: UUID.test(event.eventId) ? event.eventId : randomUUID(), type: event.type, data: { ...event }, metadata: { ...metadata } }),
          ),
          { streamState: head === 0 ? NO_STREAM : BigInt(head - 1) },
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new Unavailable(`the KurrentDB log ${this.logStream} kept moving: ${attempt} appends in a row lost the race for its next revision`);
        }
        continue;
      }
      for (const { event, metadata } of events) this.index.fold(event, metadata.idempotency);
      this.appended.next();
      return plan.outcomes;
    }
  }
}

/** A log event as the adapter wrote it: the registry's envelope as data, its idempotency record as metadata. */
function fromLogEvent(resolved: ResolvedEvent): { event: RecordedEvent; idempotency?: IdempotencyRecord } {
  const stored = resolved.event;
  if (!stored || !stored.isJson) throw new Error('event log: a KurrentDB log event without JSON data');
  const event = stored.data as unknown as RecordedEvent;
  if (event.globalPosition !== Number(stored.revision) + 1) {
    throw new Error(`event log: revision ${stored.revision} holds position ${event.globalPosition}`);
  }
  return { event, idempotency: (stored.metadata as LogEventMetadata | undefined)?.idempotency };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}${error.message && error.message !== error.name ? `: ${error.message}` : ''}` : String(error);
}

/** Consecutive positions as [first, count] runs, so a stream's events are read in as few calls as possible. */
function runs(positions: number[]): [number, number][] {
  const result: [number, number][] = [];
  for (const position of positions) {
    const last = result[result.length - 1];
    if (last && last[0] + last[1] === position) last[1] += 1;
    else result.push([position, 1]);
  }
  return result;
}
