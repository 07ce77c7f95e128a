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
} from '@registry/event-store';
import { InMemoryDocuments, type Projection } from '@registry/projector';
import { EMPTY, type Observable } from 'rxjs';
import type { AsOf } from './as-of';
import { qualifies } from './semantics';

/**
 * Replays: every read model as it stood at a point (T, K) of the two times, rebuilt from the
 * events that qualify (`effectiveAt <= T` and `recordedAt <= K`).
 *
 * Order. The projections are fed the qualifying events in global position order, which is what
 * they expect (they guard their documents with the position of the last event applied and skip
 * anything at or below it, so an event out of position order would be dropped). The state at
 * (T, K) is defined as the fold in (effectiveAt, position) order; for the domain's `evolve` the
 * two orders give the same state, and they still do on the filtered subset:
 * - joins, leaves, lead designations and merges cannot be back-dated before the partnership's
 *   last membership change (the deciders refuse it), so on every stream their position order is
 *   their effective order, and a subset of an ordered sequence is ordered;
 * - an amendment changes an attribute only if it takes effect no earlier than the value it would
 *   replace (per-attribute effective instants in `evolve`), so amendments commute;
 * - reports keep the latest effective instant (a maximum commutes);
 * - nothing of a stream takes effect before its registration, so no qualifying event is ever
 *   folded without its registration.
 */

/** The whole log in position order, read in batches. */
export async function* readLog(store: Pick<EventStore, 'readAll'>, batchSize = 5000, fromPosition = 1): AsyncGenerator<RecordedEvent> {
  let position = fromPosition;
  for (;;) {
    const events = await store.readAll(position, batchSize);
    yield* events;
    if (events.length < batchSize) return;
    position = events[events.length - 1].globalPosition + 1;
  }
}

export interface ReplayProgress {
  /** Events read so far (qualifying or not). */
  read: number;
  /** Of those, the ones applied. */
  applied: number;
  /** Position of the last event read. */
  position: number;
}

export interface ReplayResult {
  documents: InMemoryDocuments;
  /** Events applied to every projection. */
  applied: number;
  /** Events read. */
  read: number;
  /** Position of the last event applied; 0 when none qualified. */
  lastPosition: number;
}

/**
 * Applies the qualifying events of `events` (in the order they come: give them in global
 * position order, see above) to every projection, on plain in-memory documents. Pure: no store,
 * no clock. Each projection gets its own document space, as it would own its collections.
 */
export async function replayAsOf(
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
  projections: readonly Projection[],
  point: AsOf,
  { onProgress, progressEvery = 1000 }: { onProgress?: (progress: ReplayProgress) => void; progressEvery?: number } = {},
): Promise<ReplayResult> {
  const documents = new InMemoryDocuments();
  let read = 0;
  let applied = 0;
  let lastPosition = 0;
  let previous = 0;
  for await (const event of events) {
    read++;
    if (event.globalPosition <= previous) throw new Error(`replay needs events in global position order: ${event.globalPosition} came after ${previous}`);
    previous = event.globalPosition;
    if (qualifies(event, point)) {
      for (const projection of projections) await projection.apply(event, documents);
      applied++;
      lastPosition = event.globalPosition;
    }
    if (onProgress && read % progressEvery === 0) onProgress({ read, applied, position: event.globalPosition });
  }
  onProgress?.({ read, applied, position: previous });
  return { documents, applied, read, lastPosition };
}

/**
 * The event log as it stood at `point`, as a read-only `EventStore`: `readAll` returns only the
 * qualifying events (positions keep their gaps), `subscribe` has nothing live, `headPosition` is
 * the underlying head (so a rebuild's progress is over the whole log). Lets the `ProjectorRuntime`
 * rebuild read models "as of" into a read store with its own batching, indexes and checkpoints.
 * Appending through it is an error.
 */
export class AsOfEventLog implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly point: AsOf,
    private readonly scanBatch = 5000,
  ) {}

  /** Up to `limit` qualifying events from `fromPosition`; fewer only when the log is exhausted. */
  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    let position = fromPosition;
    while (found.length < limit) {
      const batch = await this.store.readAll(position, this.scanBatch);
      for (const event of batch) {
        if (qualifies(event, this.point)) found.push(event);
        if (found.length === limit) return found;
      }
      if (batch.length < this.scanBatch) return found;
      position = batch[batch.length - 1].globalPosition + 1;
    }
    return found;
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  subscribe(): Observable<RecordedEvent> {
    return EMPTY;
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return (await this.store.readStream(streamId, fromVersion)).filter((event) => qualifies(event, this.point));
  }

  /** No snapshot: the underlying store's would include events that do not qualify. */
  async readStreamFromSnapshot(streamId: string): Promise<StreamFromSnapshot> {
    return { snapshot: null, events: await this.readStream(streamId) };
  }

  async streamVersion(streamId: string): Promise<number> {
    const events = await this.readStream(streamId);
    return events.length === 0 ? 0 : events[events.length - 1].streamVersion;
  }

  findIdempotencyRecord(): Promise<IdempotencyRecord | null> {
    return Promise.resolve(null);
  }

  append(_streamId: string, _events: NewEvent[], _expected: ExpectedVersion, _options?: AppendOptions): Promise<AppendResult> {
    return Promise.reject(new Error('an as-of view of the event log is read-only'));
  }

  appendMulti(_requests: AppendRequest[], _options?: AppendOptions): Promise<AppendResult> {
    return Promise.reject(new Error('an as-of view of the event log is read-only'));
  }

  /** The underlying store belongs to whoever made the view. */
  async close(): Promise<void> {}
}

/**
 * A log with nothing to read beyond what the read store already holds: the projector runtime of a
 * read-only API runs over it, so that it loads the checkpoints (and thus knows which collections
 * to read) without ever writing a document. `headPosition` is the position the replay reached.
 */
export class FrozenEventLog extends AsOfEventLog {
  constructor(
    store: EventStore,
    private readonly head: number,
  ) {
    super(store, { asOf: new Date(0).toISOString(), knownAt: null });
  }

  override async readAll(): Promise<RecordedEvent[]> {
    return [];
  }

  override async headPosition(): Promise<number> {
    return this.head;
  }
}

/** What a replay records in its namespace (collection `replay_info`, `_id: 'replay'`). */
export const REPLAY_INFO = 'replay_info';

export interface ReplayInfo {
  _id: 'replay';
  asOf: string;
  knownAt: string | null;
  /** Position of the last event applied. */
  position: number;
  /** Events applied, when the replay counted them. */
  events?: number;
  builtAt: string;
}
