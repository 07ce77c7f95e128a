import type { EventStore, RecordedEvent } from '@registry/event-store';
import { Observable, type Subscriber } from 'rxjs';
import { type LogListener, SharedLog } from './shared-log';

/**
 * An event store whose subscriptions emit only when told: `publish` hands every open
 * subscription the events it has not had yet, in order, as a catch-up subscription would after a
 * commit. It counts the subscriptions it opened, and records where each `readAll` started.
 */
function fakeStore() {
  const log: RecordedEvent[] = [];
  const open = new Map<Subscriber<RecordedEvent>, { next: number }>();
  let subscriptions = 0;
  const reads: number[] = [];
  const store = {
    readAll: async (fromPosition: number, limit: number) => {
      reads.push(fromPosition);
      return log.slice(fromPosition - 1, fromPosition - 1 + limit);
    },
    subscribe: (fromPosition: number) =>
      new Observable<RecordedEvent>((subscriber) => {
        subscriptions++;
        open.set(subscriber, { next: fromPosition });
        return () => open.delete(subscriber);
      }),
  } as unknown as EventStore;
  return {
    store,
    get subscriptions() {
      return subscriptions;
    },
    get open() {
      return open.size;
    },
    reads,
    append(count: number) {
      for (let i = 0; i < count; i++) log.push({ globalPosition: log.length + 1 } as RecordedEvent);
    },
    publish() {
      for (const [subscriber, cursor] of [...open]) {
        while (cursor.next <= log.length && !subscriber.closed) subscriber.next(log[cursor.next++ - 1]);
      }
    },
    fail(error: Error) {
      for (const subscriber of [...open.keys()]) subscriber.error(error);
    },
    complete() {
      for (const subscriber of [...open.keys()]) subscriber.complete();
    },
  };
}

/** A listener that records what it is told. */
function recorder() {
  const positions: number[] = [];
  const told: string[] = [];
  const listener: LogListener = {
    next: (event) => positions.push(event.globalPosition),
    error: (error) => told.push(`error: ${(error as Error).message}`),
    complete: () => told.push('complete'),
  };
  return { positions, told, listener };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('SharedLog', () => {
  it('given members at the same position, when events are read, then the log is read once and each member gets every event in order', () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    const [a, b, c] = [recorder(), recorder(), recorder()];
    fake.append(5);
    for (const { listener } of [a, b, c]) log.join(6, listener);

    // when
    fake.append(7);
    fake.publish();

    // then
    expect(fake.subscriptions).toBe(1);
    for (const { positions } of [a, b, c]) expect(positions).toEqual(range(6, 12));
  });

  it('given a reader ahead of a joining member by no more than it retains, when the member joins, then it gets the retained events at once and the rest live, with no gap and no duplicate', () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    const first = recorder();
    log.join(1, first.listener);
    fake.append(15);
    fake.publish();

    // when: the late member has applied up to 8 on its own
    const late = recorder();
    const membership = log.join(9, late.listener);
    fake.append(3);
    fake.publish();

    // then
    expect(membership).toBeDefined();
    expect(late.positions).toEqual(range(9, 18));
    expect(first.positions).toEqual(range(1, 18));
    expect(fake.subscriptions).toBe(1);
  });

  it('given a reader further ahead than it retains, when a member asks to join behind it, then it is refused and the others are not disturbed', () => {
    // given: 10 retained (between 10 and 19 are kept)
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    const first = recorder();
    log.join(1, first.listener);
    fake.append(30);
    fake.publish();

    // when
    const refused = log.join(5, recorder().listener);
    const accepted = log.join(25, recorder().listener);

    // then
    expect(refused).toBeUndefined();
    expect(accepted).toBeDefined();
    expect(first.positions).toEqual(range(1, 30));
  });

  it('given a reader behind a joining member, when events are read, then the member gets only those after its position', () => {
    // given: the reader has read nothing yet of the 10 stored events
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    fake.append(10);
    const first = recorder();
    log.join(1, first.listener);

    // when
    const ahead = recorder();
    log.join(8, ahead.listener);
    fake.publish();

    // then
    expect(first.positions).toEqual(range(1, 10));
    expect(ahead.positions).toEqual(range(8, 10));
  });

  it('given members, when the last one leaves, then the subscription is closed, and a later join subscribes again from its own position', () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    const a = log.join(1, recorder().listener)!;
    const b = log.join(1, recorder().listener)!;
    fake.append(40);
    fake.publish();

    // when
    a.leave();
    expect(fake.open).toBe(1);
    b.leave();

    // then
    expect(fake.open).toBe(0);
    const again = recorder();
    expect(log.join(3, again.listener)).toBeDefined(); // nothing retained any more, nobody ahead
    fake.publish();
    expect(again.positions).toEqual(range(3, 40));
    expect(fake.subscriptions).toBe(2);
  });

  it('given members, when the log errors or completes, then every member is told and a later join starts afresh', () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    const [a, b] = [recorder(), recorder()];
    log.join(1, a.listener);
    log.join(1, b.listener);

    // when
    fake.fail(new Error('disk gone'));

    // then
    expect(a.told).toEqual(['error: disk gone']);
    expect(b.told).toEqual(['error: disk gone']);

    // when
    const c = recorder();
    log.join(1, c.listener);
    fake.complete();

    // then
    expect(c.told).toEqual(['complete']);
    expect(a.told).toHaveLength(1);
    expect(fake.subscriptions).toBe(2);
  });

  it('given a store that completes as soon as it is subscribed to (closed), when a member joins, then it is told at once and the next join subscribes again', () => {
    // given
    let subscriptions = 0;
    const closedStore = {
      subscribe: () =>
        new Observable<RecordedEvent>((subscriber) => {
          subscriptions++;
          subscriber.complete();
        }),
    } as unknown as EventStore;
    const log = new SharedLog(closedStore, 10);
    const [a, b] = [recorder(), recorder()];

    // when
    log.join(1, a.listener);
    log.join(1, b.listener);

    // then
    expect(a.told).toEqual(['complete']);
    expect(b.told).toEqual(['complete']);
    expect(subscriptions).toBe(2);
  });

  it('given runners catching up together, when they read the same batches, then each full batch is read from the store once, the last two are kept, and a short one (the head) is not', async () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    fake.append(35);

    // when: two runners in step
    for (const from of [1, 11]) {
      expect((await log.read(from, 10)).map(({ globalPosition }) => globalPosition)).toEqual(range(from, from + 9));
      expect(await log.read(from, 10)).toHaveLength(10);
    }
    // then
    expect(fake.reads).toEqual([1, 11]);

    // when: the head is read twice, then the first two batches again
    expect(await log.read(31, 10)).toHaveLength(5);
    expect(await log.read(31, 10)).toHaveLength(5);
    await log.read(1, 10);
    await log.read(11, 10);
    // then
    expect(fake.reads).toEqual([1, 11, 31, 31]);

    // when: a third full batch, then the first again
    await log.read(21, 10);
    await log.read(1, 10);
    // then
    expect(fake.reads).toEqual([1, 11, 31, 31, 21, 1]);
  });

  it('given kept batches, when a runner joins the live log (it has caught up), then they are let go', async () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    fake.append(25);
    await log.read(1, 10);

    // when
    log.join(26, recorder().listener);
    await log.read(1, 10);

    // then
    expect(fake.reads).toEqual([1, 1]);
  });

  it('given runners asking for the same batch before it is read, when the read ends, then they all get it from one read', async () => {
    // given
    const fake = fakeStore();
    const log = new SharedLog(fake.store, 10);
    fake.append(20);

    // when
    const [a, b] = await Promise.all([log.read(1, 10), log.read(1, 10)]);

    // then
    expect(a).toBe(b);
    expect(fake.reads).toEqual([1]);
  });
});
