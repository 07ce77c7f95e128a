/**
 * Commands on the same stream take turns within this process; commands on other streams run
 * side by side. Without turns, two commands on one partnership in flight together are decided on
 * the same cached state, and the second fails at append with a concurrency conflict the process
 * caused itself: a wasted append, a stream read and a second decision, where waiting for the first
 * costs the same one commit. Other processes are still caught by the expected version.
 */
export class StreamTurns {
  /** The last task that holds or awaits each stream; gone once it has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once every task given earlier on any of `streamIds` has settled. A task joins
   * the queue of all its streams at once, on the call, so tasks only ever wait on earlier ones:
   * a merge (two streams) cannot deadlock with commands on either.
   */
  async run<T>(streamIds: readonly string[], task: () => Promise<T>): Promise<T> {
    const streams = [...new Set(streamIds)];
    const earlier = streams.flatMap((id) => this.tails.get(id) ?? []);
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    for (const id of streams) this.tails.set(id, finished);
    try {
      if (earlier.length > 0) await Promise.all(earlier);
      return await task();
    } finally {
      finish();
      for (const id of streams) if (this.tails.get(id) === finished) this.tails.delete(id);
    }
  }

  /** Streams with a task running or waiting (for tests and diagnostics). */
  get busyStreams(): number {
    return this.tails.size;
  }
}
