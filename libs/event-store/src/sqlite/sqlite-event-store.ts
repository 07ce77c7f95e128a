import { BroadcastChannel } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { GroupCommit } from '@registry/shared-kernel';
import { Observable, Subject } from 'rxjs';
import { EVENT_STORE_CLOSED, type PendingAppend } from '../append-batch';
import { catchUpSubscription } from '../catch-up-subscription';
import { EVENT_ROW_COLUMNS, type EventRow, rowToEvent } from '../event-row';
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
import { commitsChannelName, RecentCommits } from './recent-commits';
import { openLogDatabase } from './sqlite-schema';
import { WriterThread } from './writer-thread';

export interface SqliteEventStoreOptions {
  /** How long a write waits for another process's write transaction (ms). Default 5,000. */
  busyTimeoutMs?: number;
  /** Most `append`/`appendMulti` calls committed in one transaction. Default 512. */
  maxBatchSize?: number;
  /** How often subscriptions look for events appended by other processes (ms). Default 50; other threads of this process are told at once. */
  pollIntervalMs?: number;
}

/** The reading connection's statements; writes happen on the writer thread. */
function prepareStatements(db: Database.Database) {
  return {
    head: db.prepare<[], number>('SELECT MAX(global_position) FROM events').pluck(),
    streamVersion: db
      .prepare<[string], number | null>('SELECT MAX(stream_version) FROM events WHERE stream_id = ?')
      .pluck(),
    idempotency: db.prepare<[string], { key: string; requestHash: string; result: string; recordedAt: string }>(
      'SELECT key, request_hash AS requestHash, result, recorded_at AS recordedAt FROM idempotency WHERE key = ?',
    ),
    readStream: db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version`,
    ),
    snapshot: db.prepare<[string, number], { version: number; state: string }>(
      'SELECT stream_version AS version, state FROM snapshots WHERE stream_id = ? AND schema_version = ?',
    ),
    readAll: db.prepare<[number, number], EventRow>(
      `SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
    ),
  };
}

/**
 * The embedded event store: one SQLite file in WAL mode, shared by every process that opens it
 * (the API and a CLI import, say). An acknowledged append is on disk (`synchronous = FULL`).
 *
 * Reads run on the caller's thread (WAL readers never wait for the writer). Appends go through
 * group commit to a writer thread that owns the write connection (see `SqliteLogWriter`): the
 * appends that arrive while a batch commits share the next transaction and its one fsync. No
 * stream table: a stream's version is the maximum of its `(stream_id, stream_version)` index.
 * The writer thread starts with the first append: a store that only reads (the read side's
 * thread, a CLI status) never opens a write connection.
 *
 * Every store on the same file in this process (the API's, and the read side's in its own
 * thread) that has a subscription hears of a commit at once, with its rows, on a
 * `BroadcastChannel` named after the file (see `RecentCommits`); other processes' commits are
 * found by polling.
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<PendingAppend, AppendResult>;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private writer: WriterThread | null = null;
  /** Opened with the first subscription: a store that only appends has nothing to hear. */
  private commits?: BroadcastChannel;
  private readonly recent = new RecentCommits();
  private closed = false;

  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    return new SqliteEventStore(openLogDatabase(filePath, busyTimeoutMs), filePath, busyTimeoutMs, options);
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly filePath: string,
    private readonly busyTimeoutMs: number,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.statements = prepareStatements(db);
    this.groupCommit = new GroupCommit(async (batch) => {
      this.writer ??= new WriterThread({ filePath: this.filePath, busyTimeoutMs: this.busyTimeoutMs });
      const outcomes = await this.writer.commit(batch);
      // After COMMIT, so that subscribers (which may read at once) see only committed events.
      // The writer thread has told the other stores on the file (see RecentCommits).
      this.appended.next();
      return outcomes;
    }, { maxBatchSize: options.maxBatchSize, closedMessage: EVENT_STORE_CLOSED });
  }

  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expectedVersion }], options);
  }

  appendMulti(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult> {
    return this.groupCommit.submit({ requests, options });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return this.statements.readStream.all(streamId, fromVersion).map(rowToEvent);
  }

  async readStreamFromSnapshot(streamId: string, schemaVersion: number): Promise<StreamFromSnapshot> {
    // The snapshot first: it was committed with the events up to its version, and those after it are never removed.
    const row = this.statements.snapshot.get(streamId, schemaVersion);
    const snapshot = row ? { version: row.version, schemaVersion, state: JSON.parse(row.state) } : null;
    return { snapshot, events: await this.readStream(streamId, (snapshot?.version ?? 0) + 1) };
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.statements.streamVersion.get(streamId) ?? 0;
  }

  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    return this.statements.readAll.all(fromPosition, limit).map(rowToEvent);
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get() ?? 0;
  }

  subscribe(fromPosition: number): Observable<RecordedEvent> {
    this.listen();
    const readAll = async (from: number, limit: number) => this.recent.read(from, limit) ?? this.readAll(from, limit);
    return catchUpSubscription(readAll, this.appended, {
      fromPosition,
      pollIntervalMs: this.options.pollIntervalMs,
    });
  }

  private listen(): void {
    if (this.commits || this.closed) return;
    this.commits = new BroadcastChannel(commitsChannelName(this.filePath));
    this.commits.onmessage = (message) => {
      this.recent.add((message as { data: EventRow[] }).data);
      this.appended.next();
    };
    this.commits.unref();
  }

  async findIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    const row = this.statements.idempotency.get(key);
    return row ? { ...row, result: JSON.parse(row.result) } : null;
  }

  /** Lets queued appends commit, completes the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit.close();
    this.commits?.close();
    this.appended.complete();
    await this.writer?.close();
    this.db.close();
  }
}
