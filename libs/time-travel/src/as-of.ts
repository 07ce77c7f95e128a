import type { Instant } from '@registry/domain';

/**
 * A point in the registry's two times (see README, "Time travel"):
 * - `asOf` (effective time T): only events with `effectiveAt <= T` count;
 * - `knownAt` (transaction time K): only events with `recordedAt <= K` count; null means
 *   everything recorded so far (current knowledge).
 * The state at (T, K) is the fold of the qualifying events of each stream in order of
 * (effectiveAt, globalPosition).
 */
export interface AsOf {
  asOf: Instant;
  knownAt: Instant | null;
}
