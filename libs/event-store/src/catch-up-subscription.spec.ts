import { Observable, Subject, type Subscription } from 'rxjs';
import { catchUpSubscription as subscribeCatchUp } from './catch-up-subscription';
import { delay, waitUntil } from '../../../test/support/wait';
import type { RecordedEvent } from './event-store.port';

/** An in-memory log whose `readAll` records its calls. */
function fakeLog(length: number) {
  const events: RecordedEvent[] = [];
  const reads: [number, number][] = [];
  const append = (count: number) => {
    for (let i = 0; i < count; i++) events.push(event(events.length + 1));
  };
  append(length);
  const readAll = async (fromPosition: number, limit: number) => {
    reads.push([fromPosition, limit]);
    return events.slice(fromPosition - 1, fromPosition - 1 + limit);
  };
  return { events, reads, append, readAll };
}

function event(globalPosition: number): RecordedEvent {
  return { globalPosition } as RecordedEvent;
}


describe('catchUpSubscription', () => {
  /** Every subscription a test makes, unsubscribed after it even when it failed. */
  let subscriptions: Subscription[] = [];
  const catchUpSubscription = (...args: Parameters<typeof subscribeCatchUp>): Observable<RecordedEvent> => {
    const observable = subscribeCatchUp(...args);
    return new Observable<RecordedEvent>((subscriber) => {
      const subscription = observable.subscribe(subscriber);
      subscriptions.push(subscription);
      return subscription;
    });
  };

  afterEach(() => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    subscriptions = [];
  });

  it('given a stored log, when subscribing mid-log, then it reads in batches and emits from that position in order', async () => {
    // given
    const log = fakeLog(25);
    const received: number[] = [];

    // when
    const subscription = catchUpSubscription(log.readAll, new Subject(), { fromPosition: 4, batchSize: 10, pollIntervalMs: 1000 }).subscribe(
      (recorded) => received.push(recorded.globalPosition),
    );
    await waitUntil(() => received.length >= 22);
    subscription.unsubscribe();

    // then
    expect(received).toEqual(Array.from({ length: 22 }, (_, i) => i + 4));
    expect(log.reads).toEqual([[4, 10], [14, 10], [24, 10]]);
  });

  it('given a caught-up subscriber, when the signal announces an append, then it emits the new events', async () => {
    // given
    const log = fakeLog(2);
    const appended$ = new Subject<void>();
    const received: number[] = [];
    const subscription = catchUpSubscription(log.readAll, appended$, { fromPosition: 1, pollIntervalMs: 60_000 }).subscribe((recorded) =>
      received.push(recorded.globalPosition),
    );
    await waitUntil(() => received.length >= 2);

    // when
    log.append(2);
    appended$.next();
    await waitUntil(() => received.length >= 4);
    subscription.unsubscribe();

    // then
    expect(received).toEqual([1, 2, 3, 4]);
  });

  it('given events appended without a signal, when the poll interval passes, then it emits them', async () => {
    // given
    const log = fakeLog(1);
    const received: number[] = [];
    const subscription = catchUpSubscription(log.readAll, new Subject(), { fromPosition: 1, pollIntervalMs: 20 }).subscribe((recorded) =>
      received.push(recorded.globalPosition),
    );
    await waitUntil(() => received.length >= 1);

    // when
    log.append(1);
    await waitUntil(() => received.length >= 2);
    subscription.unsubscribe();

    // then
    expect(received).toEqual([1, 2]);
  });

  it('given signals coming more often than the poll interval, then it reads only on signals, and polls again once they stop', async () => {
    // given
    const log = fakeLog(1);
    const appended$ = new Subject<void>();
    const received: number[] = [];
    catchUpSubscription(log.readAll, appended$, { fromPosition: 1, pollIntervalMs: 40 }).subscribe((recorded) => received.push(recorded.globalPosition));
    await waitUntil(() => received.length === 1);

    // when: a signal every 10 ms for 200 ms
    const readsBefore = log.reads.length;
    for (let i = 0; i < 20; i++) {
      log.append(1);
      appended$.next();
      await delay(10);
    }
    await waitUntil(() => received.length === 21);
    const readsWhileSignalled = log.reads.length - readsBefore;
    log.append(1); // then another process appends, unannounced

    // then
    expect(readsWhileSignalled).toBeLessThanOrEqual(21); // one per signal (a poll may come before the first)
    await waitUntil(() => received.length === 22);
    expect(received).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('given a signal during a read, when that read returns, then it reads again and misses nothing', async () => {
    // given
    const log = fakeLog(1);
    const appended$ = new Subject<void>();
    let releaseRead: (() => void) | undefined;
    const slowReadAll = async (fromPosition: number, limit: number) => {
      const result = await log.readAll(fromPosition, limit);
      if (log.reads.length === 1) await new Promise<void>((resolve) => (releaseRead = resolve));
      return result;
    };
    const received: number[] = [];
    const subscription = catchUpSubscription(slowReadAll, appended$, { fromPosition: 1, pollIntervalMs: 60_000 }).subscribe((recorded) =>
      received.push(recorded.globalPosition),
    );
    await waitUntil(() => releaseRead !== undefined);

    // when
    log.append(1);
    appended$.next();
    releaseRead?.();
    await waitUntil(() => received.length >= 2);
    await delay(10);
    subscription.unsubscribe();

    // then
    expect(received).toEqual([1, 2]);
  });

  it('given the log skips a position, when it is read, then the subscription errors', async () => {
    // given
    const log = fakeLog(3);
    log.events.splice(1, 1);

    // when
    const outcome = new Promise((resolve) =>
      catchUpSubscription(log.readAll, new Subject(), { fromPosition: 1 }).subscribe({ error: resolve }),
    );

    // then
    await expect(outcome).resolves.toEqual(new Error('event log: expected position 2, read 3'));
  });

  it('given a failing read, when subscribing, then the subscription errors with that failure', async () => {
    // given
    const failure = new Error('database is locked');
    const readAll = () => Promise.reject(failure);

    // when
    const outcome = new Promise((resolve) => catchUpSubscription(readAll, new Subject(), { fromPosition: 1 }).subscribe({ error: resolve }));

    // then
    await expect(outcome).resolves.toBe(failure);
  });

  it('given a subscriber that unsubscribed, when events are appended and signalled, then nothing more is read', async () => {
    // given
    const log = fakeLog(1);
    const appended$ = new Subject<void>();
    const subscription = catchUpSubscription(log.readAll, appended$, { fromPosition: 1, pollIntervalMs: 10 }).subscribe();
    await waitUntil(() => log.reads.length >= 1);
    const readsBefore = log.reads.length;

    // when
    subscription.unsubscribe();
    log.append(1);
    appended$.next();
    await delay(50);

    // then
    expect(log.reads).toHaveLength(readsBefore);
  });

  it('given a subscriber, when the signal completes (the store closed), then the subscription completes', async () => {
    // given
    const appended$ = new Subject<void>();
    const completed = new Promise<void>((resolve) =>
      catchUpSubscription(fakeLog(0).readAll, appended$, { fromPosition: 1 }).subscribe({ complete: resolve }),
    );

    // when
    appended$.complete();

    // then
    await expect(completed).resolves.toBeUndefined();
  });
});
