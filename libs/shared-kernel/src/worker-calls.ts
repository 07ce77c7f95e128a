import type { Worker } from 'node:worker_threads';

/**
 * Calls to a worker thread that answers each message with a reply carrying its `id`. The worker
 * keeps the process alive only while a reply is owed. If the thread dies, every owed call and
 * every later one rejects with `failureOf` the cause.
 */
export class WorkerCalls<Reply extends { id: number }> {
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;

  constructor(
    readonly worker: Worker,
    /** Names the thread in the error of its exit. */
    private readonly name: string,
    private readonly failureOf: (cause: Error) => Error = (cause) => cause,
  ) {
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.fail(new Error(`${this.name} exited (code ${code})`));
        resolve();
      }),
    );
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Posts the message `compose` makes with a fresh id; resolves with its reply. */
  call(compose: (id: number) => unknown): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage(compose(id));
    });
  }

  /** Posts a message that has no reply. */
  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  private settle(reply: Reply): void {
    const owed = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    owed?.resolve(reply);
  }

  private fail(cause: Error): void {
    this.failure ??= this.failureOf(cause);
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }
}
