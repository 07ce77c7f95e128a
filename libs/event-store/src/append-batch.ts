import { canonicalJson, ConcurrencyConflict, IdempotencyKeyReused, InvalidInput, uuidV7 } from '@registry/shared-kernel';
import type { EventRow } from './event-row';
import type {
  AppendedEventRef,
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventMetadata,
  IdempotencyRecord,
} from './event-store.port';
import { chainHashOfCanonical } from './hash-chain';

/**
 * The append algorithm the SQL adapters share. Inside its write transaction an adapter loads a
 * `BatchState` for the names `batchLookups` lists, lets `planAppendBatch` decide every request
 * in memory, then writes `plan.events`, `plan.idempotencyRecords` and `plan.snapshots` and
 * commits. Only the SQL differs between adapters.
 */

/** One `append` or `appendMulti` call: written entirely or refused entirely. */
export interface PendingAppend {
  requests: AppendRequest[];
  options?: AppendOptions;
}

/** What the write transaction has read, under its write lock, before planning. */
export interface BatchState {
  headPosition: number;
  /** Hash of the event at `headPosition` (GENESIS_HASH for an empty log). */
  headHash: string;
  /** `recordedAt` of the event at `headPosition` (null for an empty log). */
  headRecordedAt: string | null;
  /** Current version of every stream the batch names (0 or absent for a new stream). */
  streamVersions: Map<string, number>;
  /** Stored records of the idempotency keys the batch names. */
  idempotency: Map<string, Pick<IdempotencyRecord, 'requestHash' | 'result'>>;
  /** The caller-supplied event ids of the batch that are already stored. */
  takenEventIds: Set<string>;
}

export interface BatchPlan {
  /** One per pending append, in batch order. */
  outcomes: PromiseSettledResult<AppendResult>[];
  /** Rows to insert, in position order. */
  events: EventRow[];
  idempotencyRecords: IdempotencyRecord[];
  /** The snapshots of the accepted requests that carry one (`state` as JSON text). */
  snapshots: SnapshotRow[];
}

export interface SnapshotRow {
  streamId: string;
  streamVersion: number;
  schemaVersion: number;
  state: string;
}

/** The streams, idempotency keys and caller-supplied event ids a batch needs looked up. */
export function batchLookups(batch: PendingAppend[]): { streamIds: string[]; idempotencyKeys: string[]; eventIds: string[] } {
  const streamIds = new Set<string>();
  const idempotencyKeys = new Set<string>();
  const eventIds = new Set<string>();
  for (const { requests, options } of batch) {
    if (options?.idempotency) idempotencyKeys.add(options.idempotency.key);
    for (const { streamId, events } of requests) {
      streamIds.add(streamId);
      for (const { eventId } of events) if (eventId !== undefined) eventIds.add(eventId);
    }
  }
  return { streamIds: [...streamIds], idempotencyKeys: [...idempotencyKeys], eventIds: [...eventIds] };
}

/**
 * Decides each pending append in order against `state` (which it advances) as if each were
 * committed alone: a refused one leaves no trace and the next sees the state before it. An
 * append of no events checks its expected versions, records its idempotency key, and reports
 * the head as `lastPosition`.
 */
export function planAppendBatch(batch: PendingAppend[], state: BatchState, now: string): BatchPlan {
  const recordedAt = monotonicRecordedAt(now, state.headRecordedAt);
  const plan: BatchPlan = { outcomes: [], events: [], idempotencyRecords: [], snapshots: [] };
  for (const pending of batch) {
    try {
      plan.outcomes.push({ status: 'fulfilled', value: planAppend(pending, state, recordedAt, plan) });
    } catch (reason) {
      plan.outcomes.push({ status: 'rejected', reason });
    }
  }
  return plan;
}

/**
 * The `recordedAt` of a batch: the store's clock, but never before the last event's, so that
 * `recordedAt` never decreases along global positions even when the clock steps back (NTP, a
 * restored VM, another process's clock). "Recorded by K" is then a prefix of the log, found by
 * binary search on positions (time travel's `knownAt`).
 */
export function monotonicRecordedAt(now: string, headRecordedAt: string | null): string {
  const clock = new Date(now).toISOString();
  if (headRecordedAt === null) return clock;
  const last = Date.parse(headRecordedAt);
  return Number.isNaN(last) || Date.parse(clock) >= last ? clock : new Date(last).toISOString();
}

interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  /** Canonical JSON text: what is stored, and what the hash covers. */
  data: string;
  metadata: string;
}

function planAppend({ requests, options }: PendingAppend, state: BatchState, recordedAt: string, plan: BatchPlan): AppendResult {
  const idempotency = options?.idempotency;
  const recorded = idempotency && state.idempotency.get(idempotency.key);
  if (idempotency && recorded) {
    if (recorded.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused(idempotency.key);
    return { ...recorded.result, replayed: true };
  }

  // Everything that can refuse the request happens before `state` and `plan` are touched.
  const versions = new Map<string, number>();
  const eventIds = new Set<string>();
  const prepared = requests.map(({ streamId, expectedVersion, events, snapshot }) => {
    const current = versions.get(streamId) ?? state.streamVersions.get(streamId) ?? 0;
    if (expectedVersion !== 'any' && expectedVersion !== current) {
      throw new ConcurrencyConflict(streamId, expectedVersion, current);
    }
    versions.set(streamId, current + events.length);
    return {
      streamId,
      snapshot: snapshot && { streamId, streamVersion: current + events.length, schemaVersion: snapshot.schemaVersion, state: toJsonText(snapshot.state) },
      events: events.map((event): PreparedEvent => {
        const eventId = event.eventId ?? uuidV7();
        if (state.takenEventIds.has(eventId) || eventIds.has(eventId)) {
          throw new InvalidInput(`event id ${eventId} is already used`, [{ field: 'eventId', rule: 'unique' }]);
        }
        eventIds.add(eventId);
        const metadata: EventMetadata = { ...event.metadata, recordedAt };
        return { eventId, type: event.type, schemaVersion: event.schemaVersion, data: toCanonicalJson(event.data, 'data'), metadata: toCanonicalJson(metadata, 'metadata') };
      }),
    };
  });

  const refs: AppendedEventRef[] = [];
  for (const { streamId, events, snapshot } of prepared) {
    if (snapshot) plan.snapshots.push(snapshot);
    for (const { eventId, type, schemaVersion, data, metadata } of events) {
      const streamVersion = (state.streamVersions.get(streamId) ?? 0) + 1;
      const globalPosition = state.headPosition + 1;
      const hash = chainHashOfCanonical({ eventId, streamId, streamVersion, globalPosition, type, schemaVersion }, data, metadata, state.headHash);
      plan.events.push({ eventId, streamId, streamVersion, globalPosition, type, schemaVersion, data, metadata, hash });
      refs.push({ eventId, streamId, streamVersion, globalPosition, type });
      state.streamVersions.set(streamId, streamVersion);
      state.headPosition = globalPosition;
      state.headHash = hash;
    }
  }
  for (const eventId of eventIds) state.takenEventIds.add(eventId);

  const streamVersions: Record<string, number> = {};
  for (const { streamId } of requests) streamVersions[streamId] = state.streamVersions.get(streamId) ?? 0;
  const result: AppendResult = { events: refs, streamVersions, lastPosition: state.headPosition, replayed: false };
  if (idempotency) {
    const record: IdempotencyRecord = { ...idempotency, result, recordedAt };
    state.idempotency.set(idempotency.key, record);
    plan.idempotencyRecords.push(record);
  }
  return result;
}

/**
 * Stored as canonical JSON, so that what is read back and hashed again gives the same text:
 * canonical JSON of parsed canonical JSON is the same string.
 */
function toCanonicalJson(value: unknown, field: string): string {
  try {
    return canonicalJson(value);
  } catch {
    throw new InvalidInput(`event ${field} is not representable as JSON`, [{ field, rule: 'isJson' }]);
  }
}

/** A snapshot's state, as plain JSON (it is not hashed); unrepresentable state refuses the request. */
function toJsonText(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a bigint or a cycle: below
  }
  if (text === undefined) throw new InvalidInput('the stream snapshot is not representable as JSON', [{ field: 'snapshot', rule: 'isJson' }]);
  return text;
}

/** What an append submitted while an event store closes is refused with (`Unavailable`, a 503). */
export const EVENT_STORE_CLOSED = 'the event store is closed: the service is shutting down';
