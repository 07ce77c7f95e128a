/**
 * Callers waiting for a reader of the log (the projector runtime, the as-of index) to reach a
 * position. The reader calls `notify` whenever its position advances or it fails.
 */
export class PositionWaiters {
  private readonly checks = new Set<() => void>();

  /** Resolves true once `reached()` holds; false once `failed()` holds, or after `timeoutMs`. */
  wait(reached: () => boolean, failed: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const settle = (outcome: boolean) => {
        clearTimeout(timer);
        this.checks.delete(check);
        resolve(outcome);
      };
      const check = () => {
        if (reached()) settle(true);
        else if (failed()) settle(false);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.checks.add(check);
      check();
    });
  }

  notify(): void {
    for (const check of [...this.checks]) check();
  }
}
