import { BroadcastChannel, parentPort, workerData } from 'node:worker_threads';
import { openLogDatabase } from './sqlite-schema';
import { SqliteLogWriter } from './sqlite-log-writer';
import { commitsChannelName } from './recent-commits';
import { serializeError } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { FromWriter, ToWriter, WriterData } from './writer-protocol';

// The writer thread: owns the write connection, so SQLite's fsync at each commit blocks this
// thread instead of the event loop that serves requests.
const { filePath, busyTimeoutMs } = workerData as WriterData;
const db = openLogDatabase(filePath, busyTimeoutMs);
const writer = new SqliteLogWriter(db);
const commits = new BroadcastChannel(commitsChannelName(filePath));

parentPort!.on('message', (message: ToWriter) => {
  if (message.kind === 'close') {
    db.close();
    commits.close();
    parentPort!.close();
    return;
  }
  let reply: FromWriter;
  try {
    const committed = writer.commit(JSON.parse(message.batch) as PendingAppend[]);
    // After COMMIT: the stores that hear of it (see RecentCommits) may read the file at once.
    if (committed.events.length > 0) commits.postMessage(committed.events);
    const outcomes = committed.outcomes.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome : { status: 'rejected' as const, reason: serializeError(outcome.reason) },
    );
    reply = { kind: 'committed', id: message.id, outcomes: JSON.stringify(outcomes) };
  } catch (error) {
    reply = { kind: 'failed', id: message.id, error: serializeError(error) };
  }
  parentPort!.postMessage(reply);
});
