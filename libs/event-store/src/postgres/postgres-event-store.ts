import { Client, Pool, type PoolClient, TypeOverrides, types } from 'pg';
import { GroupCommit } from '@registry/shared-kernel';
import { Observable, Subject } from 'rxjs';
import { batchLookups, type BatchPlan, type BatchState, EVENT_STORE_CLOSED, type PendingAppend, planAppendBatch } from '../append-batch';
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
import { GENESIS_HASH } from '../hash-chain';

export interface PostgresEventStoreOptions {
  /** Most `append`/`appendMulti` calls committed in one transaction. Default 512. */
  maxBatchSize?: number;
  /** Connections for reads and appends. Default 10. */
  poolSize?: number;
  /** Safety-net re-read interval of subscriptions (ms); NOTIFY is the usual signal. Default 500. */
  pollIntervalMs?: number;
}

const CHANNEL = 'registry_events_appended';
/** How the listening connection shows in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = 'registry-event-listener';

/** A connection that LISTENs to the append notifications. */
async function listen(connectionString: string): Promise<Client> {
  const listener = new Client({ connectionString, application_name: LISTENER_APPLICATION_NAME });
  listener.on('error', () => undefined); // until watched: a failure here is the caller's rejection
  try {
    await listener.connect();
    await listener.query(`LISTEN ${CHANNEL}`);
    return listener;
  } catch (error) {
    await listener.end().catch(() => undefined);
    throw error;
  }
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    global_position BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data JSON NOT NULL,
    metadata JSON NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (stream_id, stream_version)
  );
  CREATE TABLE IF NOT EXISTS log_head (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    position BIGINT NOT NULL,
    hash TEXT NOT NULL
  );
  INSERT INTO log_head (position, hash) VALUES (0, '${GENESIS_HASH}') ON CONFLICT DO NOTHING;
  CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    result JSON NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
  );
  -- One row per stream: its latest snapshot (see AppendRequest.snapshot). Not part of the log.
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_id TEXT PRIMARY KEY,
    stream_version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state JSON NOT NULL
  );
`;

// Positions are BIGINT but stay far below 2^53. JSON (not JSONB, which would rewrite it) comes
// back as its text, which `rowToEvent` parses: the hash was computed over exactly that text.
const typeParsers = new TypeOverrides();
typeParsers.setTypeParser(types.builtins.INT8, Number);
typeParsers.setTypeParser(types.builtins.JSON, (text: string) => text);

/**
 * The event store on PostgreSQL. Every append transaction first locks the one row of `log_head`
 * (position and hash of the last event), so appends from all processes commit one after the
 * other: positions are gap-free and become visible in order, and the hash chain is single.
 * Group commit makes one such transaction serve all the appends of an event-loop turn.
 *
 * Each commit NOTIFYs `registry_events_appended`; subscriptions of every process LISTEN to it,
 * polling besides in case a notification is lost with the listening connection (which is then
 * replaced: see `replaceListener`).
 *
 * If the connection fails during COMMIT, the appends of that batch reject although they may
 * have been committed; a retry with the same idempotency key then replays the recorded result.
 */
export class PostgresEventStore implements EventStore {
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<PendingAppend, AppendResult>;
  private closed = false;

  static async open(connectionString: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = new Pool({ connectionString, max: options.poolSize ?? 10, types: typeParsers });
    let listener: Client | undefined;
    try {
      await inTransaction(pool, async (client) => {
        // Processes starting together would otherwise race on CREATE TABLE IF NOT EXISTS.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('registry_event_store_schema'))`);
        await client.query(SCHEMA);
      });
      listener = await listen(connectionString);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresEventStore(pool, listener, connectionString, options);
  }

  private constructor(
    private readonly pool: Pool,
    /** The connection that LISTENs; null while a dropped one is being replaced. */
    private listener: Client | null,
    private readonly connectionString: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.watch(listener!);
    // Without a handler, a dropped idle connection's 'error' event would end the process; the pool replaces it.
    pool.on('error', () => undefined);
    this.groupCommit = new GroupCommit((batch) => inTransaction(pool, (client) => this.writeBatch(client, batch)), {
      maxBatchSize: options.maxBatchSize,
      closedMessage: EVENT_STORE_CLOSED,
    });
  }

  private watch(listener: Client): void {
    listener.on('notification', () => this.appended.next());
    listener.on('error', () => this.replaceListener(listener));
    listener.on('end', () => this.replaceListener(listener));
  }

  /**
   * A dropped listening connection (a server restart, a terminated backend) is replaced, retrying
   * with a growing delay; subscriptions poll meanwhile, and read once it listens again, for what
   * was appended while nobody listened.
   */
  private replaceListener(dropped: Client): void {
    if (this.closed || this.listener !== dropped) return; // 'error' and 'end' both come; once is enough
    this.listener = null;
    void (async () => {
      for (let delayMs = 100; !this.closed; delayMs = Math.min(delayMs * 2, 5000)) {
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
        if (this.closed) return;
        const listener = await listen(this.connectionString).catch(() => null);
        if (!listener) continue;
        if (this.closed) return void listener.end().catch(() => undefined);
        this.listener = listener;
        this.watch(listener);
        this.appended.next();
        return;
      }
    })();
  }

  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expectedVersion }], options);
  }

  appendMulti(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult> {
    return this.groupCommit.submit({ requests, options });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'read-stream',
      text: `SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      values: [streamId, fromVersion],
    });
    return rows.map(rowToEvent);
  }

  async readStreamFromSnapshot(streamId: string, schemaVersion: number): Promise<StreamFromSnapshot> {
    // The snapshot first: it was committed with the events up to its version, and those after it are never removed.
    const { rows: [row] } = await this.pool.query<{ version: number; state: string }>({
      name: 'read-snapshot',
      text: 'SELECT stream_version AS version, state FROM snapshots WHERE stream_id = $1 AND schema_version = $2',
      values: [streamId, schemaVersion],
    });
    const snapshot = row ? { version: row.version, schemaVersion, state: JSON.parse(row.state) } : null;
    return { snapshot, events: await this.readStream(streamId, (snapshot?.version ?? 0) + 1) };
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>({
      name: 'stream-version',
      text: 'SELECT COALESCE(MAX(stream_version), 0) AS version FROM events WHERE stream_id = $1',
      values: [streamId],
    });
    return rows[0].version;
  }

  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'read-all',
      text: `SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE global_position >= $1 ORDER BY global_position LIMIT $2`,
      values: [fromPosition, limit],
    });
    return rows.map(rowToEvent);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ position: number }>({ name: 'head-position', text: 'SELECT position FROM log_head' });
    return rows[0].position;
  }

  subscribe(fromPosition: number): Observable<RecordedEvent> {
    return catchUpSubscription((from, limit) => this.readAll(from, limit), this.appended, {
      fromPosition,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
    });
  }

  async findIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    const { rows } = await this.pool.query<{ key: string; requestHash: string; result: string; recordedAt: Date }>(
      'SELECT key, request_hash AS "requestHash", result, recorded_at AS "recordedAt" FROM idempotency WHERE key = $1',
      [key],
    );
    return rows.length === 0 ? null : { ...rows[0], result: JSON.parse(rows[0].result), recordedAt: rows[0].recordedAt.toISOString() };
  }

  /** Lets queued appends commit, completes the subscriptions, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit.close();
    this.appended.complete();
    await Promise.all([this.listener?.end(), this.pool.end()]);
  }

  private async writeBatch(client: PoolClient, batch: PendingAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    // The lock is the one ordering point of all appends. recordedAt comes from the database
    // clock, so every process stamps with the same clock (never before the head's: planAppendBatch).
    const { rows: [head] } = await client.query<{ position: number; hash: string; now: Date; recordedAt: string | null }>(
      `SELECT position, hash, clock_timestamp() AS now,
        (SELECT metadata->>'recordedAt' FROM events WHERE global_position = log_head.position) AS "recordedAt"
       FROM log_head FOR UPDATE`,
    );
    const plan = planAppendBatch(batch, await this.loadState(client, batch, head), head.now.toISOString());
    await this.write(client, plan);
    return plan.outcomes;
  }

  /**
   * One statement, after the lock: in READ COMMITTED it sees every transaction that held it
   * before. A stream's version is read as its last index entry, whatever the stream's length.
   */
  private async loadState(client: PoolClient, batch: PendingAppend[], head: { position: number; hash: string; recordedAt: string | null }): Promise<BatchState> {
    const { streamIds, idempotencyKeys, eventIds } = batchLookups(batch);
    const { rows: [found] } = await client.query<{ versions: string; records: string; taken: string }>({
      name: 'load-batch-state',
      text: `SELECT
        (SELECT COALESCE(json_object_agg(id, version), '{}') FROM unnest($1::text[]) AS streams(id),
          LATERAL (SELECT stream_version AS version FROM events WHERE stream_id = id ORDER BY stream_version DESC LIMIT 1) AS last) AS versions,
        (SELECT COALESCE(json_agg(json_build_object('key', key, 'requestHash', request_hash, 'result', result)), '[]')
          FROM idempotency WHERE key = ANY($2)) AS records,
        (SELECT COALESCE(json_agg(event_id), '[]') FROM events WHERE event_id = ANY($3)) AS taken`,
      values: [streamIds, idempotencyKeys, eventIds],
    });
    const records: { key: string; requestHash: string; result: AppendResult }[] = JSON.parse(found.records);
    return {
      headPosition: head.position,
      headHash: head.hash,
      headRecordedAt: head.recordedAt,
      streamVersions: new Map(Object.entries<number>(JSON.parse(found.versions))),
      idempotency: new Map(records.map(({ key, requestHash, result }) => [key, { requestHash, result }])),
      takenEventIds: new Set<string>(JSON.parse(found.taken)),
    };
  }

  /** One statement: the events, the idempotency records, the snapshots, the new head and the notification. */
  private async write(client: PoolClient, { events, idempotencyRecords, snapshots }: BatchPlan): Promise<void> {
    const last = events.at(-1);
    await client.query({
      name: 'write-batch',
      text: `WITH new_events AS (
          INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash)
          SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::json[], $8::json[], $9::text[])
        ), new_records AS (
          INSERT INTO idempotency (key, request_hash, result, recorded_at)
          SELECT * FROM unnest($10::text[], $11::text[], $12::json[], $13::timestamptz[])
        ), new_snapshots AS (
          -- Planned under the lock, a snapshot is its stream's newest; of a stream's in one batch, the last.
          INSERT INTO snapshots (stream_id, stream_version, schema_version, state)
          SELECT DISTINCT ON (stream_id) * FROM unnest($16::text[], $17::int[], $18::int[], $19::json[]) AS s(stream_id, stream_version, schema_version, state)
          ORDER BY stream_id, stream_version DESC
          ON CONFLICT (stream_id) DO UPDATE SET stream_version = excluded.stream_version, schema_version = excluded.schema_version, state = excluded.state
        ), new_head AS (
          UPDATE log_head SET position = $14, hash = $15 WHERE cardinality($1::bigint[]) > 0
        )
        SELECT pg_notify('${CHANNEL}', '') WHERE cardinality($1::bigint[]) > 0`,
      values: [
        ...(['globalPosition', 'eventId', 'streamId', 'streamVersion', 'type', 'schemaVersion', 'data', 'metadata', 'hash'] as const).map(
          (column) => events.map((row) => row[column]),
        ),
        idempotencyRecords.map(({ key }) => key),
        idempotencyRecords.map(({ requestHash }) => requestHash),
        idempotencyRecords.map(({ result }) => JSON.stringify(result)),
        idempotencyRecords.map(({ recordedAt }) => recordedAt),
        last?.globalPosition ?? 0,
        last?.hash ?? '',
        ...(['streamId', 'streamVersion', 'schemaVersion', 'state'] as const).map((column) => snapshots.map((row) => row[column])),
      ],
    });
  }
}

/** Runs `work` in a transaction on a pooled connection; a connection that failed is discarded. */
async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    client.release(!rolledBack);
    throw error;
  }
}
