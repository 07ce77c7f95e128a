import { batchLookups, type BatchState, type PendingAppend } from '../append-batch';
import type { AppendResult, IdempotencyRecord, RecordedEvent } from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';

/**
 * What the KurrentDB adapter knows of its log, folded from the log's events in position order:
 * the head (position, hash, recordedAt), each registry stream's events by position, the event
 * ids taken and the idempotency records. KurrentDB answers "the events of one stream" and "is
 * this id taken" only for its own streams, and the registry's streams live inside one log stream
 * (see `KurrentDbEventStore`), so each instance keeps this index and brings it up to date from
 * the log before it decides an append.
 */
export class LogIndex {
  private position = 0;
  private hash = GENESIS_HASH;
  private recordedAt: string | null = null;
  /** Global positions of each stream's events, in version order. */
  private readonly streams = new Map<string, number[]>();
  private readonly eventIds = new Set<string>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();

  get headPosition(): number {
    return this.position;
  }

  /**
   * Takes in the event at the next position, with the idempotency record it carries. An event
   * the index already has (a catch-up read racing the writer's own fold) is ignored; one beyond
   * the next position means events were missed, which must not happen.
   */
  fold(event: RecordedEvent, idempotency?: IdempotencyRecord): void {
    if (event.globalPosition <= this.position) return;
    if (event.globalPosition !== this.position + 1) {
      throw new Error(`event log index: expected position ${this.position + 1}, got ${event.globalPosition}`);
    }
    const positions = this.streams.get(event.streamId) ?? [];
    if (event.streamVersion !== positions.length + 1) {
      throw new Error(`event log index: stream ${event.streamId} expected version ${positions.length + 1}, got ${event.streamVersion}`);
    }
    positions.push(event.globalPosition);
    this.streams.set(event.streamId, positions);
    this.eventIds.add(event.eventId);
    if (idempotency) this.idempotency.set(idempotency.key, idempotency);
    this.position = event.globalPosition;
    this.hash = event.hash;
    this.recordedAt = event.metadata.recordedAt;
  }

  streamVersion(streamId: string): number {
    return this.streams.get(streamId)?.length ?? 0;
  }

  /** Global positions of a stream's events from `fromVersion` on. */
  streamPositions(streamId: string, fromVersion: number): number[] {
    return (this.streams.get(streamId) ?? []).slice(Math.max(0, fromVersion - 1));
  }

  idempotencyRecord(key: string): IdempotencyRecord | null {
    return this.idempotency.get(key) ?? null;
  }

  /** The state `planAppendBatch` decides a batch on: fresh maps, so planning leaves the index as it is. */
  batchState(batch: PendingAppend[]): BatchState {
    const { streamIds, idempotencyKeys, eventIds } = batchLookups(batch);
    const idempotency = new Map<string, Pick<IdempotencyRecord, 'requestHash' | 'result'>>();
    for (const key of idempotencyKeys) {
      const record = this.idempotency.get(key);
      if (record) idempotency.set(key, record);
    }
    return {
      headPosition: this.position,
      headHash: this.hash,
      headRecordedAt: this.recordedAt,
      streamVersions: new Map(streamIds.map((id) => [id, this.streamVersion(id)])),
      idempotency,
      takenEventIds: new Set(eventIds.filter((id) => this.eventIds.has(id))),
    };
  }
}

/**
 * Which event carries each idempotency record: the last event its append wrote. A record of an
 * append that wrote no event has no event to travel with and is left out (see the adapter).
 */
export function recordsByLastPosition(records: IdempotencyRecord[]): Map<number, IdempotencyRecord> {
  const byPosition = new Map<number, IdempotencyRecord>();
  for (const record of records) {
    const last = lastEventPosition(record.result);
    if (last !== null) byPosition.set(last, record);
  }
  return byPosition;
}

function lastEventPosition(result: AppendResult): number | null {
  return result.events.length === 0 ? null : result.events[result.events.length - 1].globalPosition;
}
