import Database from 'better-sqlite3';

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
  -- One row per stream: its latest snapshot (see AppendRequest.snapshot). Not part of the log.
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_id TEXT PRIMARY KEY,
    stream_version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state TEXT NOT NULL
  );
`;

/**
 * Opens a connection to the log file with the settings every connection needs, creating the
 * tables on first use. The reading connection (main thread) and the writing one (writer thread)
 * both come from here.
 */
export function openLogDatabase(filePath: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(filePath);
  try {
    // busy_timeout first: switching to WAL and creating tables may wait for another process.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so an acknowledged append survives power loss.
    db.pragma('synchronous = FULL');
    // 64 MiB of page cache (the default is 2 MiB): index pages stay in memory as the log grows.
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
