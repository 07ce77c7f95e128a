import type { Instant } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { InvalidInput, isDateOrDateTime, toInstant } from '@registry/shared-kernel';
import type { AsOf } from './as-of';

/**
 * The semantics of time travel, defined once (README, "Time travel"):
 * - `asOf = T`: only events with `effectiveAt <= T` count;
 * - `knownAt = K`: only events with `recordedAt <= K` count (null: everything recorded so far);
 * - a stream's state at (T, K) is the fold of its qualifying events in (effectiveAt, globalPosition)
 *   order. The deciders keep that fold equal to the fold in position order (see `decide.ts`), so
 *   the engines may feed qualifying events in position order.
 * - Instants compare as instants: `YYYY-MM-DD` is that day at 00:00:00.000Z (`toInstant`).
 */

/** Parses a `YYYY-MM-DD` date or an ISO date-time with an offset into the registry's instant form. */
export function parseInstant(value: string, field = 'asOf'): Instant {
  if (!isDateOrDateTime(value)) {
    throw new InvalidInput(`${field} must be a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset`, [
      { field, rule: 'isDateOrDateTime', message: `${field} must be a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset` },
    ]);
  }
  return toInstant(value);
}

/** The point `asOf`/`knownAt` name, normalised (knownAt absent or null: current knowledge). */
export function asOfPoint(asOf: string, knownAt?: string | null): AsOf {
  return { asOf: parseInstant(asOf, 'asOf'), knownAt: knownAt == null ? null : parseInstant(knownAt, 'knownAt') };
}

/** Milliseconds since the epoch of an instant (throws on a malformed one). */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return ms;
}

/** True when `event` counts at `point`: effective at or before `asOf` and recorded at or before `knownAt`. */
export function qualifies(event: Pick<RecordedEvent, 'metadata'>, point: AsOf): boolean {
  if (instantMs(event.metadata.effectiveAt) > instantMs(point.asOf)) return false;
  return point.knownAt === null || instantMs(event.metadata.recordedAt) <= instantMs(point.knownAt);
}

/** The (effectiveAt, globalPosition) order of a stream's as-of fold. */
export function compareEffectiveOrder(
  a: Pick<RecordedEvent, 'metadata' | 'globalPosition'>,
  b: Pick<RecordedEvent, 'metadata' | 'globalPosition'>,
): number {
  return instantMs(a.metadata.effectiveAt) - instantMs(b.metadata.effectiveAt) || a.globalPosition - b.globalPosition;
}

/**
 * P(K): the last position whose event was recorded at or before `knownAt`, by binary search over
 * positions 1..head (recordedAt never decreases along positions: see `monotonicRecordedAt` in the
 * event store). `recordedAtOf(p)` reads the event at position p. O(log head) reads.
 */
export async function positionRecordedBy(
  knownAt: Instant,
  head: number,
  recordedAtOf: (position: number) => Promise<string | null>,
): Promise<number> {
  const k = instantMs(knownAt);
  let low = 0; // recorded by K (position 0: nothing)
  let high = head + 1; // not recorded by K
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const recordedAt = await recordedAtOf(mid);
    if (recordedAt !== null && instantMs(recordedAt) <= k) low = mid;
    else high = mid;
  }
  return low;
}
