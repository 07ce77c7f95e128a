import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serializeError } from '@registry/shared-kernel';
import type { CheckpointerData, FromCheckpointer, ToCheckpointer } from './wal-checkpointer';

// The checkpointer thread: copies the write-ahead log into the database file on a connection of
// its own, so that the copy and its fsync block this thread, not the one applying projections.
const { filePath, intervalMs, restartAboveBytes } = workerData as CheckpointerData;
let db: Database.Database | undefined;
let timer: NodeJS.Timeout | undefined;

/** Closes the connection and ends the thread. */
function stop(): void {
  clearInterval(timer);
  db?.close();
  parentPort!.close();
}

/** Tells the store why, and ends the thread (the store then checkpoints in its commits). */
function fail(error: unknown): void {
  parentPort!.postMessage({ kind: 'failed', error: serializeError(error) } satisfies FromCheckpointer);
  stop();
}

function walBytes(): number {
  try {
    return statSync(`${filePath}-wal`).size;
  } catch {
    return 0;
  }
}

function checkpoint(db: Database.Database): void {
  // PASSIVE never waits: the writer goes on, and restarts the log once a pass has copied all of it.
  db.pragma('wal_checkpoint(PASSIVE)');
  // Under writes that never pause, no pass catches up before the next commit: past the bound,
  // RESTART holds writers back (they wait, they do not fail) until the log starts over.
  if (walBytes() > restartAboveBytes) db.pragma('wal_checkpoint(RESTART)');
}

try {
  const opened = (db = new Database(filePath, { fileMustExist: true, timeout: 10_000 }));
  timer = setInterval(() => {
    try {
      checkpoint(opened);
    } catch (error) {
      fail(error);
    }
  }, intervalMs);
} catch (error) {
  fail(error);
}

parentPort!.on('message', (message: ToCheckpointer) => {
  if (message.kind === 'close') stop();
});
