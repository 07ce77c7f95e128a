import { Unavailable } from './errors';

/** Commits a batch in one transaction and settles each request of it on its own. */
export type BatchCommitter<Request, Result> = (
  requests: Request[],
) => PromiseSettledResult<Result>[] | Promise<PromiseSettledResult<Result>[]>;

export interface GroupCommitOptions {
  /** Most requests committed together. Default 512. */
  maxBatchSize?: number;
  /** What a request submitted after `close` is refused with. */
  closedMessage?: string;
}

interface Queued<Request, Result> {
  request: Request;
  resolve: (result: Result) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit: the requests submitted in one turn of the event loop, and those submitted while a
 * batch is committing, go to `commit` together, so one transaction (one fsync) serves them all.
 * One batch runs at a time, in submission order. `commit` settles each request separately (a
 * refused request does not fail the others); if it throws, the whole transaction failed and
 * every request of the batch rejects with that error.
 */
export class GroupCommit<Request, Result> {
  private queue: Queued<Request, Result>[] = [];
  /** A flush is scheduled or running. */
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  private readonly maxBatchSize: number;
  private readonly closedMessage: string;

  constructor(
    private readonly commit: BatchCommitter<Request, Result>,
    { maxBatchSize = 512, closedMessage = 'the store is closed: the service is shutting down' }: GroupCommitOptions = {},
  ) {
    this.maxBatchSize = maxBatchSize;
    this.closedMessage = closedMessage;
  }

  private closed = false;

  /** Rejects with `Unavailable` (`closedMessage`) once `close` was called: the store is shutting down. */
  submit(request: Request): Promise<Result> {
    if (this.closed) return Promise.reject(new Unavailable(this.closedMessage));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        // setImmediate rather than a microtask: let every request of this turn (I/O callbacks
        // included) join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Refuses new requests, then resolves once the ones already submitted have settled. */
  close(): Promise<void> {
    this.closed = true;
    return this.whenIdle();
  }

  /** Resolves once every request submitted so far has settled. */
  whenIdle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatchSize);
    try {
      const outcomes = await this.commit(batch.map(({ request }) => request));
      batch.forEach(({ resolve, reject }, index) => {
        const outcome = outcomes[index];
        if (outcome.status === 'fulfilled') resolve(outcome.value);
        else reject(outcome.reason);
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
    if (this.queue.length > 0) {
      setImmediate(() => void this.flush());
      return;
    }
    this.busy = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
