import type { Observable } from 'rxjs';

/**
 * The event store port. Adapters: SQLite (embedded default), PostgreSQL, KurrentDB.
 *
 * Conventions every adapter keeps:
 * - A stream's versions start at 1 and have no gaps; `streamVersion(id)` is 0 for a stream
 *   that does not exist.
 * - Global positions start at 1, are gap-free and strictly increasing in commit order, so a
 *   reader that has seen position N has seen every committed event below it. SQLite gets this
 *   from its single writer; PostgreSQL by taking a row lock on a one-row `log_head` table in the
 *   append transaction (a bare sequence leaves gaps and commits out of order); KurrentDB's `$all`
 *   commit positions are increasing but sparse, so its adapter keeps the whole log in one
 *   KurrentDB stream, whose 0-based revision + 1 is the position.
 * - The hash chain (see `hash-chain.ts`) is computed inside the transaction that assigns the
 *   position, from the previous event's stored hash.
 * - `appendMulti` is atomic across its streams: every expected version holds and everything is
 *   written, or nothing is. KurrentDB has no multi-stream transaction; its adapter writes a
 *   batch as one append to its log stream and keeps the registry's streams as an index of that
 *   log (see `KurrentDbEventStore`).
 */
export interface EventStore {
  /** Appends to one stream. Throws `ConcurrencyConflict` when `expectedVersion` does not hold. */
  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion, options?: AppendOptions): Promise<AppendResult>;

  /** Appends to several streams atomically, in the order given (positions follow that order). */
  appendMulti(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult>;

  /** Events of one stream, in version order, from `fromVersion` (inclusive, default 1). */
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;

  /**
   * The stream's latest snapshot of this schema version (see `AppendRequest.snapshot`), and its
   * events after the snapshot's version; no snapshot (and every event) when it has none. A store
   * may keep no snapshots at all (KurrentDB's adapter does not): a snapshot only spares folding
   * the whole stream, the events stay the truth.
   */
  readStreamFromSnapshot(streamId: string, schemaVersion: number): Promise<StreamFromSnapshot>;

  /** Current version of a stream, 0 when it has no events. */
  streamVersion(streamId: string): Promise<number>;

  /** Up to `limit` events of the whole log with `globalPosition >= fromPosition`, in order. */
  readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]>;

  /** Position of the last committed event, 0 for an empty store. */
  headPosition(): Promise<number>;

  /**
   * Every event with `globalPosition >= fromPosition`: first those already stored (catch-up),
   * then each new one as it commits (live), whoever appended it, with no gap and no duplicate.
   * Unsubscribing stops the reading.
   */
  subscribe(fromPosition: number): Observable<RecordedEvent>;

  /** What an earlier append with this idempotency key recorded, or null. */
  findIdempotencyRecord(key: string): Promise<IdempotencyRecord | null>;

  close(): Promise<void>;
}

/** A stream version number (0: the stream must not exist yet), or 'any' to skip the check. */
export type ExpectedVersion = number | 'any';

export interface NewEvent {
  /** Generated when absent. */
  eventId?: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  /** Everything but `recordedAt`, which the store sets from its clock at append. */
  metadata: Omit<EventMetadata, 'recordedAt'>;
}

export interface Actor {
  id: string;
  role: string;
}

export interface EventSource {
  /** File name the command came from (e.g. an import), with the SHA-256 of its bytes. */
  file: string;
  sha256: string;
  line?: number;
}

export interface EventMetadata {
  actor: Actor;
  /** Server clock at append (ISO 8601, UTC). */
  recordedAt: string;
  /** Business instant the change takes effect (ISO 8601, UTC). */
  effectiveAt: string;
  correlationId: string;
  causationId: string;
  reason?: string;
  source?: EventSource;
}

export interface RecordedEvent<Data = unknown> {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  /** SHA-256 (hex) of the canonical envelope and the previous event's hash. */
  hash: string;
}

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  /**
   * The writer's state of the stream after these events, kept (in the same transaction) as the
   * stream's snapshot at the version they bring it to, replacing an older one. Not part of the
   * log: not hashed, not read by `readStream`, `readAll` or `subscribe`.
   */
  snapshot?: { schemaVersion: number; state: unknown };
}

/** A stream's state as its writer folded it up to `version` (see `AppendRequest.snapshot`). */
export interface StreamSnapshot {
  version: number;
  schemaVersion: number;
  state: unknown;
}

export interface StreamFromSnapshot {
  snapshot: StreamSnapshot | null;
  /** The stream's events after the snapshot's version (all of them without a snapshot), in version order. */
  events: RecordedEvent[];
}

export interface AppendOptions {
  /**
   * Recorded in the same transaction as the events. If the key is already recorded, nothing is
   * appended: with the same `requestHash` the earlier result is returned (`replayed: true`),
   * with another one `IdempotencyKeyReused` is thrown.
   */
  idempotency?: { key: string; requestHash: string };
}

export interface AppendedEventRef {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
}

export interface AppendResult {
  events: AppendedEventRef[];
  /** Version of each written stream after the append. */
  streamVersions: Record<string, number>;
  /** Position of the last event written. */
  lastPosition: number;
  /** True when this result is the one recorded by an earlier append with the same key. */
  replayed: boolean;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  result: AppendResult;
  recordedAt: string;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
