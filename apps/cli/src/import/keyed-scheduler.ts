import { KeyedQueue } from '@registry/shared-kernel';

/**
 * Runs tasks at most `concurrency` at a time while keeping the order of tasks that share a key:
 * a task starts once every earlier task holding one of its keys has finished (a `KeyedQueue`).
 * Scheduling waits while too many tasks are pending, so a large file never sits in memory as
 * promises; the earliest pending task never waits on a later one, so the look-ahead cannot
 * deadlock.
 */
export class KeyedScheduler {
  private readonly queue = new KeyedQueue();
  private readonly slotWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly lookahead: number;
  private running = 0;
  private pending = 0;
  private roomWaiter: (() => void) | undefined;

  constructor(private readonly concurrency: number) {
    // Room to find work for idle slots past a run of lines of one partnership.
    this.lookahead = concurrency * 4;
  }

  /** Resolves once the task is queued, not run. A rejected task counts as finished. */
  async schedule(keys: readonly string[], task: () => Promise<void>): Promise<void> {
    while (this.pending >= this.lookahead) await new Promise<void>((resolve) => (this.roomWaiter = resolve));
    this.pending++;
    void this.queue
      .run(keys, () => this.inSlot(task))
      .catch(() => undefined)
      .then(() => this.finished());
  }

  /** Resolves once every task scheduled so far has finished. */
  drain(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async inSlot(task: () => Promise<void>): Promise<void> {
    if (this.running < this.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.slotWaiters.push(resolve)); // the slot is handed over
    try {
      await task();
    } finally {
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.running--;
    }
  }

  private finished(): void {
    this.pending--;
    const wake = this.roomWaiter;
    this.roomWaiter = undefined;
    wake?.();
    if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
