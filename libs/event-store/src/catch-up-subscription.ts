import { Observable } from 'rxjs';
import type { RecordedEvent } from './event-store.port';

export type ReadAll = (fromPosition: number, limit: number) => Promise<RecordedEvent[]>;

export interface CatchUpOptions {
  /** First position to emit (positions start at 1). */
  fromPosition: number;
  /** Events per `readAll` call. Default 1,000. */
  batchSize?: number;
  /**
   * Reads again after this long (ms) without a signal, for events the signal does not announce,
   * such as those appended by another process on the same SQLite file. Default 50. While signals
   * come, it does not: each signal's read starts at the next position the subscriber lacks, so it
   * reads another process's events too, and a poll then mostly raced the signal of a commit on
   * its way, reading from the file what the signal brings (the read side's thread spent ~3 % of
   * its time so at 4,000 commands/s).
   */
  pollIntervalMs?: number;
}

/**
 * `EventStore.subscribe` for any adapter with a gap-free `readAll`: reads from `fromPosition` in
 * batches until caught up, then reads again whenever `appended$` signals a commit or a poll
 * interval passes without one. Tracks the next expected position, so nothing is emitted twice or
 * skipped; a position the log does not have where one is expected errors the observable, as does
 * a failing read. Completes when `appended$` completes (the store closed).
 *
 * Reading is asynchronous and yields to the event loop between batches, so a subscriber catching
 * up on a long log does not hold back the writer.
 */
export function catchUpSubscription(
  readAll: ReadAll,
  appended$: Observable<unknown>,
  { fromPosition, batchSize = 1000, pollIntervalMs = 50 }: CatchUpOptions,
): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let nextPosition = Math.max(1, fromPosition);
    let reading = false;
    /** A signal came during a read, which may have started before that commit. */
    let readAgain = false;

    const catchUp = async (): Promise<void> => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          let batch: RecordedEvent[];
          do {
            batch = await readAll(nextPosition, batchSize);
            for (const event of batch) {
              if (subscriber.closed) return;
              if (event.globalPosition !== nextPosition) {
                throw new Error(`event log: expected position ${nextPosition}, read ${event.globalPosition}`);
              }
              subscriber.next(event);
              nextPosition += 1;
            }
            if (batch.length === batchSize) await new Promise((resolve) => setImmediate(resolve));
          } while (batch.length === batchSize && !subscriber.closed);
        } while (readAgain && !subscriber.closed);
      } catch (error) {
        subscriber.error(error);
      } finally {
        reading = false;
      }
    };

    void catchUp();
    let signalled = false;
    const signal = appended$.subscribe({
      next: () => {
        signalled = true;
        void catchUp();
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    const poll = setInterval(() => {
      if (!signalled) void catchUp();
      signalled = false;
    }, pollIntervalMs);
    return () => {
      signal.unsubscribe();
      clearInterval(poll);
    };
  });
}
