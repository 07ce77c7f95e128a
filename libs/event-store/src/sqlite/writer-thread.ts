import { deserializeError, spawnWorker, WorkerCalls } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { AppendResult } from '../event-store.port';
import type { FromWriter, SettledAppend, ToWriter, WriterData } from './writer-protocol';

/**
 * The main thread's handle on the writer thread: `commit` posts a batch and resolves with each
 * append's outcome. While a batch is committing, new appends queue up in the group commit, so the
 * next batch is larger: the slower the disk, the more appends share one fsync.
 */
export class WriterThread {
  private readonly calls: WorkerCalls<FromWriter>;

  constructor(data: WriterData) {
    this.calls = new WorkerCalls(spawnWorker(__dirname, 'sqlite-writer', data), 'event store writer thread');
  }

  async commit(batch: PendingAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    const reply = await this.calls.call((id): ToWriter => ({ kind: 'commit', id, batch: JSON.stringify(batch) }));
    if (reply.kind === 'failed') throw deserializeError(reply.error);
    return (JSON.parse(reply.outcomes) as SettledAppend[]).map((outcome) => (outcome.status === 'fulfilled' ? outcome : { status: 'rejected', reason: deserializeError(outcome.reason) }));
  }

  async close(): Promise<void> {
    // Referenced until it has exited, so that a caller awaiting close() is not cut short.
    this.calls.worker.ref();
    if (!this.calls.failed) this.calls.post({ kind: 'close' } satisfies ToWriter);
    await this.calls.exited;
  }
}
