import type Database from 'better-sqlite3';
import { batchLookups, planAppendBatch, type BatchState, type PendingAppend, type SnapshotRow } from '../append-batch';
import type { EventRow } from '../event-row';
import type { AppendResult } from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';

/** What a committed batch gave each append, and the rows it wrote. */
export interface CommittedBatch {
  outcomes: PromiseSettledResult<AppendResult>[];
  events: EventRow[];
}

/**
 * Commits batches of appends on the write connection. Each batch is one `BEGIN IMMEDIATE`
 * transaction, which takes SQLite's write lock before reading the head, so positions and the
 * hash chain stay gap-free and single even when several processes write to the file.
 */
export class SqliteLogWriter {
  private readonly statements;
  private readonly transaction: Database.Transaction<(batch: PendingAppend[]) => CommittedBatch>;

  constructor(db: Database.Database) {
    this.statements = {
      head: db.prepare<[], { globalPosition: number; hash: string; recordedAt: string | null }>(
        "SELECT global_position AS globalPosition, hash, json_extract(metadata, '$.recordedAt') AS recordedAt FROM events ORDER BY global_position DESC LIMIT 1",
      ),
      streamVersion: db.prepare<[string], number | null>('SELECT MAX(stream_version) FROM events WHERE stream_id = ?').pluck(),
      eventIdTaken: db.prepare<[string], number>('SELECT 1 FROM events WHERE event_id = ?').pluck(),
      idempotency: db.prepare<[string], { requestHash: string; result: string }>(
        'SELECT request_hash AS requestHash, result FROM idempotency WHERE key = ?',
      ),
      insertEvent: db.prepare<[EventRow]>(
        `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash)
         VALUES (@globalPosition, @eventId, @streamId, @streamVersion, @type, @schemaVersion, @data, @metadata, @hash)`,
      ),
      insertIdempotency: db.prepare<[string, string, string, string]>(
        'INSERT INTO idempotency (key, request_hash, result, recorded_at) VALUES (?, ?, ?, ?)',
      ),
      // Planned under the write lock at the version its append brings the stream to, a snapshot is the stream's newest.
      saveSnapshot: db.prepare<[SnapshotRow]>(
        `INSERT INTO snapshots (stream_id, stream_version, schema_version, state) VALUES (@streamId, @streamVersion, @schemaVersion, @state)
         ON CONFLICT (stream_id) DO UPDATE SET stream_version = excluded.stream_version, schema_version = excluded.schema_version, state = excluded.state`,
      ),
    };
    this.transaction = db.transaction((batch: PendingAppend[]) => this.writeBatch(batch));
  }

  commit(batch: PendingAppend[]): CommittedBatch {
    return this.transaction.immediate(batch);
  }

  /** Runs inside the transaction: SQLite's write lock is held. */
  private writeBatch(batch: PendingAppend[]): CommittedBatch {
    const { streamIds, idempotencyKeys, eventIds } = batchLookups(batch);
    const head = this.statements.head.get();
    const state: BatchState = {
      headPosition: head?.globalPosition ?? 0,
      headHash: head?.hash ?? GENESIS_HASH,
      headRecordedAt: head?.recordedAt ?? null,
      streamVersions: new Map(streamIds.map((id) => [id, this.statements.streamVersion.get(id) ?? 0])),
      idempotency: new Map(
        idempotencyKeys.flatMap((key) => {
          const row = this.statements.idempotency.get(key);
          return row ? [[key, { requestHash: row.requestHash, result: JSON.parse(row.result) }]] : [];
        }),
      ),
      takenEventIds: new Set(eventIds.filter((id) => this.statements.eventIdTaken.get(id) !== undefined)),
    };
    const plan = planAppendBatch(batch, state, new Date().toISOString());
    for (const row of plan.events) this.statements.insertEvent.run(row);
    for (const { key, requestHash, result, recordedAt } of plan.idempotencyRecords) {
      this.statements.insertIdempotency.run(key, requestHash, JSON.stringify(result), recordedAt);
    }
    for (const snapshot of plan.snapshots) this.statements.saveSnapshot.run(snapshot);
    return { outcomes: plan.outcomes, events: plan.events };
  }
}
