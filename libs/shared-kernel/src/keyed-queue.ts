/**
 * Runs tasks so that those sharing a key run one after another, in the order they were given,
 * while tasks with no key in common run at once. A task with several keys (a merge: two streams)
 * waits for the earlier tasks of each; as every task takes its place in all its queues when it is
 * given, two tasks never wait on each other. A failed task lets the next one run.
 */
export class KeyedQueue {
  /** Per key, the settlement of the last task given with it (never rejects). */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const earlier: Promise<void>[] = [];
    for (const key of keys) {
      const tail = this.tails.get(key);
      if (tail) earlier.push(tail);
    }
    const result = earlier.length === 0 ? Promise.resolve().then(task) : Promise.all(earlier).then(task);
    const settled = result.then(ignore, ignore);
    for (const key of keys) this.tails.set(key, settled);
    void settled.then(() => {
      for (const key of keys) if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}

function ignore(): void {}
