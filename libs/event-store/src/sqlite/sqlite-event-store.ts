import Database from 'better-sqlite3';
import { Observable, Subject } from 'rxjs';
import { batchLookups, type BatchState, type PendingAppend, planAppendBatch } from '../append-batch';
import { catchUpSubscription } from '../catch-up-subscription';
import { type EventRow, rowToEvent } from '../event-row';
import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  IdempotencyRecord,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { GroupCommit } from '../group-commit';
import { GENESIS_HASH } from '../hash-chain';

export interface SqliteEventStoreOptions {
  /** How long a write waits for another process's write transaction (ms). Default 5,000. */
  busyTimeoutMs?: number;
  /** Most `append`/`appendMulti` calls committed in one transaction. Default 512. */
  maxBatchSize?: number;
  /** How often subscriptions look for events appended by other processes (ms). Default 50. */
  pollIntervalMs?: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (stream_id, stream_version)
  );
  CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  );
`;

const EVENT_COLUMNS = `global_position AS globalPosition, event_id AS eventId, stream_id AS streamId,
  stream_version AS streamVersion, type, schema_version AS schemaVersion, data, metadata, hash`;

function prepareStatements(db: Database.Database) {
  return {
    head: db.prepare<[], { globalPosition: number; hash: string }>(
      'SELECT global_position AS globalPosition, hash FROM events ORDER BY global_position DESC LIMIT 1',
    ),
    streamVersion: db
      .prepare<[string], number | null>('SELECT MAX(stream_version) FROM events WHERE stream_id = ?')
      .pluck(),
    eventIdTaken: db.prepare<[string], number>('SELECT 1 FROM events WHERE event_id = ?').pluck(),
    idempotency: db.prepare<[string], { key: string; requestHash: string; result: string; recordedAt: string }>(
      'SELECT key, request_hash AS requestHash, result, recorded_at AS recordedAt FROM idempotency WHERE key = ?',
    ),
    insertEvent: db.prepare<[EventRow]>(
      `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash)
       VALUES (@globalPosition, @eventId, @streamId, @streamVersion, @type, @schemaVersion, @data, @metadata, @hash)`,
    ),
    insertIdempotency: db.prepare<[string, string, string, string]>(
      'INSERT INTO idempotency (key, request_hash, result, recorded_at) VALUES (?, ?, ?, ?)',
    ),
    readStream: db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version`,
    ),
    readAll: db.prepare<[number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
    ),
  };
}

/**
 * The embedded event store: one SQLite file in WAL mode, shared by every process that opens it
 * (the API and a CLI import, say). An acknowledged append is on disk (`synchronous = FULL`).
 *
 * Appends go through group commit: the calls of one event-loop turn share one `BEGIN IMMEDIATE`
 * transaction, which takes SQLite's write lock before reading the head, so positions and the hash
 * chain stay gap-free and single across processes. No stream table: a stream's version is the
 * maximum of its `(stream_id, stream_version)` index.
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<PendingAppend, AppendResult>;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[]) => PromiseSettledResult<AppendResult>[]>;
  private closed = false;

  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const db = new Database(filePath);
    try {
      // busy_timeout first: switching to WAL and creating tables may wait for another process.
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      return new SqliteEventStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.statements = prepareStatements(db);
    this.commitBatch = db.transaction((batch: PendingAppend[]) => this.writeBatch(batch));
    this.groupCommit = new GroupCommit((batch) => {
      const outcomes = this.commitBatch.immediate(batch);
      // After COMMIT, so that subscribers (which may read at once) see only committed events.
      this.appended.next();
      return outcomes;
    }, options.maxBatchSize);
  }

  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expectedVersion }], options);
  }

  async appendMulti(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    return this.groupCommit.submit({ requests, options });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return this.statements.readStream.all(streamId, fromVersion).map(rowToEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.statements.streamVersion.get(streamId) ?? 0;
  }

  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    return this.statements.readAll.all(fromPosition, limit).map(rowToEvent);
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get()?.globalPosition ?? 0;
  }

  subscribe(fromPosition: number): Observable<RecordedEvent> {
    return catchUpSubscription((from, limit) => this.readAll(from, limit), this.appended, {
      fromPosition,
      pollIntervalMs: this.options.pollIntervalMs,
    });
  }

  async findIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    const row = this.statements.idempotency.get(key);
    return row ? { ...row, result: JSON.parse(row.result) } : null;
  }

  /** Lets queued appends commit, completes the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit.whenIdle();
    this.appended.complete();
    this.db.close();
  }

  /** Runs inside the `BEGIN IMMEDIATE` transaction: SQLite's write lock is held. */
  private writeBatch(batch: PendingAppend[]): PromiseSettledResult<AppendResult>[] {
    const { streamIds, idempotencyKeys, eventIds } = batchLookups(batch);
    const head = this.statements.head.get();
    const state: BatchState = {
      headPosition: head?.globalPosition ?? 0,
      headHash: head?.hash ?? GENESIS_HASH,
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
    return plan.outcomes;
  }
}
