import type { Worker } from 'node:worker_threads';
import { deserializeError, spawnWorker } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { AppendResult } from '../event-store.port';
import type { FromWriter, ToWriter, WriterData } from './writer-protocol';

/**
 * The main thread's handle on the writer thread: `commit` posts a batch and resolves with each
 * append's outcome. While a batch is committing, new appends queue up in the group commit, so the
 * next batch is larger: the slower the disk, the more appends share one fsync.
 */
export class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (reply: FromWriter) => void>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(data: WriterData) {
    this.worker = spawnWorker(__dirname, 'sqlite-writer', data);
    this.worker.unref(); // referenced only while a batch is in flight (see commit)
    this.worker.on('message', (reply: FromWriter) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolveExit) =>
      this.worker.once('exit', (code) => {
        this.fail(new Error(`event store writer thread exited (code ${code})`));
        resolveExit();
      }),
    );
  }

  commit(batch: PendingAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolveCommit, rejectCommit) => {
      this.pending.set(id, (reply) => {
        if (reply.kind === 'failed') return rejectCommit(deserializeError(reply.error));
        resolveCommit(
          reply.outcomes.map((outcome) =>
            outcome.status === 'fulfilled' ? outcome : { status: 'rejected', reason: deserializeError(outcome.reason) },
          ),
        );
      });
      // Keep the process alive while a commit is owed to a caller.
      if (this.pending.size === 1) this.worker.ref();
      this.post({ kind: 'commit', id, batch });
    });
  }

  async close(): Promise<void> {
    // Referenced until it has exited, so that a caller awaiting close() is not cut short.
    this.worker.ref();
    if (!this.failure) this.post({ kind: 'close' });
    await this.exited;
  }

  private post(message: ToWriter): void {
    this.worker.postMessage(message);
  }

  private settle(reply: FromWriter): void {
    const resolveReply = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    resolveReply?.(reply);
  }

  /** The thread died: every owed commit fails, and so does every later one. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, resolveReply] of this.pending) {
      resolveReply({ kind: 'failed', id, error: { name: 'Error', message: error.message } });
    }
    this.pending.clear();
  }
}
