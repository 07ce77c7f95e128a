import type { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError, spawnWorker } from '@registry/shared-kernel';

export interface CheckpointerData {
  filePath: string;
  intervalMs: number;
  /** Write-ahead log in use (bytes) past which a checkpoint holds writers back to make the log start over. */
  restartAboveBytes: number;
}

export type ToCheckpointer = { kind: 'close' };
export type FromCheckpointer = { kind: 'failed'; error: SerializedError };

export interface CheckpointerOptions {
  intervalMs?: number;
  restartAboveBytes?: number;
}

/**
 * The embedded read store's checkpoints, in a thread of their own. SQLite's automatic checkpoint
 * runs inside the commit that crosses its threshold: every 40 MiB of log, one commit of the
 * projector thread copied them into the file and waited for fsync (about 300 ms here, a stall in
 * the read models' lag). This thread does it every `intervalMs` on its own connection instead.
 * Should the thread die, `onFailure` is told, so that the store goes back to SQLite's own.
 *
 * The log restarts once it holds 16 MiB: at 1,000 commands/s the read side writes ~40 MB of log a
 * second, and a restart at 256 MiB held the projections' commits ~150-350 ms every 6 s (the read
 * bench's lag spikes); at 16 MiB each hold is a few tens of milliseconds (lag probe: per-second
 * p99 at most ~110 ms instead of ~350), and a rebuild of the 10,000-partnership registry took 64 s
 * instead of 78.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private closing = false;

  constructor(filePath: string, onFailure: (error: Error) => void, { intervalMs = 250, restartAboveBytes = 16 * 1024 * 1024 }: CheckpointerOptions = {}) {
    this.worker = spawnWorker(__dirname, 'wal-checkpointer', { filePath, intervalMs, restartAboveBytes } satisfies CheckpointerData);
    this.worker.unref(); // a store left open does not keep the process alive for its checkpoints
    let failure: Error | undefined;
    this.worker.on('message', (message: FromCheckpointer) => (failure = deserializeError(message.error)));
    this.worker.on('error', (error) => (failure = error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.closing) onFailure(failure ?? new Error(`the read store's checkpointer thread exited (code ${code})`));
        resolve();
      }),
    );
  }

  /** Stops checkpointing and waits until the thread has closed its connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.worker.ref(); // until it has exited, so that a caller awaiting close() is not cut short
    this.worker.postMessage({ kind: 'close' } satisfies ToCheckpointer);
    await this.exited;
  }
}
