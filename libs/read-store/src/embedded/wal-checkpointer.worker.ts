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

function checkpoint(db: Database.Database, pageSize: number): void {
  // PASSIVE never waits: the writer goes on, and restarts the log once a pass has copied all of it.
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  // Under writes that never pause, no pass catches up before the next commit: past the bound (the
  // frames in use, not the file, which keeps its size after the log starts over), RESTART holds
  // writers back (they wait, they do not fail) while it copies what came during the pass, and the
  // log starts over. A small bound makes each hold short.
  if (log * pageSize > restartAboveBytes) db.pragma('wal_checkpoint(RESTART)');
}

try {
  const opened = (db = new Database(filePath, { fileMustExist: true, timeout: 10_000 }));
  const pageSize = opened.pragma('page_size', { simple: true }) as number;
  timer = setInterval(() => {
    try {
      checkpoint(opened, pageSize);
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
