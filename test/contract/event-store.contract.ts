import {
  chainHash,
  findChainBreak,
  GENESIS_HASH,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@registry/event-store';
import { ConcurrencyConflict, IdempotencyKeyReused } from '@registry/shared-kernel';
import { delay, waitUntil } from '../support/wait';

export interface EventStoreFixture {
  /** A store over empty storage of its own. */
  store: EventStore;
  /** Opens the same storage again (the test closes `store` first). Needed by the durability test. */
  reopen?: () => Promise<EventStore>;
  /** A second, independent store instance (another process, as far as `store` can tell) on the same storage. */
  openSecondWriter?: () => Promise<EventStore>;
  /**
   * Rewrites the `recordedAt` of the last stored event behind the store's back, as if it had been
   * recorded by a clock ahead of the store's (the clock then stepped back). Needed by the
   * monotonic recordedAt test.
   */
  setLastRecordedAt?: (recordedAt: string) => Promise<void>;
  /** Whether the adapter keeps stream snapshots (the port lets a store keep none). */
  keepsSnapshots: boolean;
  /** Closes every store the fixture opened and deletes the storage. */
  cleanup: () => Promise<void>;
}

/**
 * The behaviour every `EventStore` adapter must have (see the port's doc comment). Adapter specs
 * call this with a fixture factory; adapter-specific checks (tampering with rows, crashes) live in
 * their own specs.
 */
export function describeEventStoreContract(adapterName: string, openStore: () => Promise<EventStoreFixture>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await openStore();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    /** The second writer when the fixture has one, else the store itself. */
    const secondWriter = async (): Promise<EventStore> => (fixture.openSecondWriter ? fixture.openSecondWriter() : store);

    describe('appending and reading', () => {
      it('given an empty store, when events are appended to two streams, then versions and positions start at 1 with no gap', async () => {
        // given
        expect(await store.headPosition()).toBe(0);

        // when
        const first = await store.append('partnership-a', [newEvent('A1'), newEvent('A2')], 0);
        const second = await store.append('partnership-b', [newEvent('B1')], 0);
        const third = await store.append('partnership-a', [newEvent('A3')], 2);

        // then
        expect(first.events.map(({ streamVersion, globalPosition }) => [streamVersion, globalPosition])).toEqual([[1, 1], [2, 2]]);
        expect(second.events.map(({ streamVersion, globalPosition }) => [streamVersion, globalPosition])).toEqual([[1, 3]]);
        expect(third).toMatchObject({ streamVersions: { 'partnership-a': 3 }, lastPosition: 4, replayed: false });
        expect((await store.readAll(1, 100)).map((event) => [event.streamId, event.streamVersion, event.globalPosition, event.type])).toEqual([
          ['partnership-a', 1, 1, 'A1'],
          ['partnership-a', 2, 2, 'A2'],
          ['partnership-b', 1, 3, 'B1'],
          ['partnership-a', 3, 4, 'A3'],
        ]);
        expect(await store.headPosition()).toBe(4);
      });

      it('given stored events, when they are read back, then data, metadata and ids are as appended', async () => {
        // given
        const data = { title: 'Água limpa — 水', amounts: [1, 2.5, -3e-7], nested: { empty: {}, none: null, yes: true } };
        const event: NewEvent = { ...newEvent('PartnershipRegistered', data), eventId: 'evt-chosen-by-caller' };

        // when
        await store.append('partnership-a', [event], 0);

        // then
        const [stored] = await store.readStream('partnership-a');
        expect(stored).toMatchObject({
          eventId: 'evt-chosen-by-caller',
          streamId: 'partnership-a',
          streamVersion: 1,
          globalPosition: 1,
          type: 'PartnershipRegistered',
          schemaVersion: 1,
          data,
          metadata: event.metadata,
        });
        expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('given a stream of three events, when it is read from version 2, then only versions 2 and 3 come back', async () => {
        // given
        await store.append('partnership-a', newEvents(3), 0);
        await store.append('partnership-b', newEvents(1), 0);

        // when
        const tail = await store.readStream('partnership-a', 2);

        // then
        expect(tail.map((event) => event.streamVersion)).toEqual([2, 3]);
        expect(await store.readStream('partnership-unknown')).toEqual([]);
        expect(await store.streamVersion('partnership-a')).toBe(3);
        expect(await store.streamVersion('partnership-unknown')).toBe(0);
      });

      it('given five events, when the log is read from a position with a limit, then that window comes back in order', async () => {
        // given
        await store.append('partnership-a', newEvents(5), 0);

        // when
        const window = await store.readAll(2, 3);

        // then
        expect(window.map((event) => event.globalPosition)).toEqual([2, 3, 4]);
        expect(await store.readAll(6, 10)).toEqual([]);
      });

      it('given a caller that sets recordedAt, when it appends, then the store sets recordedAt from its own clock', async () => {
        // given
        const event = newEvent('A1');
        (event.metadata as Record<string, unknown>).recordedAt = '1999-01-01T00:00:00.000Z';
        const before = new Date().toISOString();

        // when
        await store.append('partnership-a', [event], 0);

        // then
        const after = new Date().toISOString();
        const [{ metadata }] = await store.readStream('partnership-a');
        expect(metadata.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(metadata.recordedAt >= before && metadata.recordedAt <= after).toBe(true);
      });

      it('given the last event was recorded later than the store clock now reads, when more are appended, then recordedAt does not go back', async () => {
        if (!fixture.setLastRecordedAt) return;
        // given
        await store.append('partnership-a', [newEvent('A1')], 0);
        const ahead = new Date(Date.now() + 3_600_000).toISOString();
        await fixture.setLastRecordedAt(ahead);

        // when
        await store.append('partnership-a', [newEvent('A2')], 'any');
        await store.append('partnership-b', [newEvent('B1')], 'any');

        // then: recordedAt never decreases along positions
        const events = await store.readAll(1, 10);
        expect(events.map((event) => event.metadata.recordedAt)).toEqual([ahead, ahead, ahead]);
      });

      it('given an event id already stored, when it is appended again, then the append is refused and nothing is written', async () => {
        // given
        await store.append('partnership-a', [{ ...newEvent('A1'), eventId: 'evt-1' }], 0);

        // when
        const attempt = store.append('partnership-b', [newEvent('B1'), { ...newEvent('B2'), eventId: 'evt-1' }], 0);

        // then
        await expect(attempt).rejects.toThrow('evt-1');
        expect(await store.headPosition()).toBe(1);
        expect(await store.streamVersion('partnership-b')).toBe(0);
      });
    });

    describe('optimistic concurrency', () => {
      it('given an existing stream, when appending with expected version 0, then ConcurrencyConflict reports the actual version', async () => {
        // given
        await store.append('partnership-a', newEvents(2), 0);

        // when
        const attempt = store.append('partnership-a', newEvents(1), 0);

        // then
        await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflict);
        await expect(attempt).rejects.toMatchObject({ streamId: 'partnership-a', expectedVersion: 0, actualVersion: 2 });
        expect(await store.headPosition()).toBe(2);
      });

      it.each([1, 3, 7])('given a stream at version 2, when appending with expected version %i, then ConcurrencyConflict and nothing is written', async (expectedVersion) => {
        // given
        await store.append('partnership-a', newEvents(2), 0);

        // when
        const attempt = store.append('partnership-a', newEvents(1), expectedVersion);

        // then
        await expect(attempt).rejects.toMatchObject({ name: 'ConcurrencyConflict', expectedVersion, actualVersion: 2 });
        expect(await store.streamVersion('partnership-a')).toBe(2);
      });

      it("given a stream at version 2, when appending with 'any', then the events follow version 2", async () => {
        // given
        await store.append('partnership-a', newEvents(2), 0);

        // when
        const result = await store.append('partnership-a', newEvents(1), 'any');

        // then
        expect(result.events.map((event) => event.streamVersion)).toEqual([3]);
        expect(await store.append('partnership-new', newEvents(1), 'any')).toMatchObject({ streamVersions: { 'partnership-new': 1 } });
      });

      it('given a new stream, when 20 appends expecting version 0 are made at once, then exactly one wins', async () => {
        // when
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.append('partnership-a', [newEvent(`Attempt${i}`)], 0)),
        );

        // then
        expectExactlyOneWinner(outcomes, 1);
        expect(await store.readStream('partnership-a')).toHaveLength(1);
        expect(await store.headPosition()).toBe(1);
      });

      it('given a stream at version 3 and two store instances, when both race appends expecting version 3, then exactly one wins', async () => {
        // given
        const other = await secondWriter();
        await store.append('partnership-a', newEvents(3), 0);

        for (let round = 0; round < 5; round++) {
          const expected = 3 + round;
          // when
          const outcomes = await Promise.allSettled(
            Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).append('partnership-a', [newEvent(`Round${round}`)], expected)),
          );

          // then
          expectExactlyOneWinner(outcomes, expected + 1);
        }
        expect(await store.streamVersion('partnership-a')).toBe(8);
        expect((await store.readAll(1, 100)).map((event) => event.globalPosition)).toEqual(range(1, 8));
      });
    });

    describe('multi-stream appends', () => {
      it('given two new streams, when both are appended in one call, then positions follow the order given', async () => {
        // when
        const result = await store.appendMulti([
          { streamId: 'partnership-a', expectedVersion: 0, events: newEvents(2) },
          { streamId: 'partnership-b', expectedVersion: 0, events: newEvents(1) },
        ]);

        // then
        expect(result.events.map(({ streamId, globalPosition }) => [streamId, globalPosition])).toEqual([
          ['partnership-a', 1],
          ['partnership-a', 2],
          ['partnership-b', 3],
        ]);
        expect(result).toMatchObject({ streamVersions: { 'partnership-a': 2, 'partnership-b': 1 }, lastPosition: 3 });
      });

      it("given one stream's expected version does not hold, when both are appended in one call, then neither is written", async () => {
        // given
        await store.append('partnership-a', newEvents(1), 0);

        // when
        const attempt = store.appendMulti([
          { streamId: 'partnership-a', expectedVersion: 1, events: newEvents(2) },
          { streamId: 'partnership-b', expectedVersion: 5, events: newEvents(1) },
        ]);

        // then
        await expect(attempt).rejects.toMatchObject({ name: 'ConcurrencyConflict', streamId: 'partnership-b', actualVersion: 0 });
        expect(await store.streamVersion('partnership-a')).toBe(1);
        expect(await store.streamVersion('partnership-b')).toBe(0);
        expect(await store.headPosition()).toBe(1);
      });

      it('given a failing multi-stream append and a valid append made at once, then only the valid one is written, without a gap', async () => {
        // given
        await store.append('partnership-a', newEvents(1), 0);

        // when
        const [failing, valid] = await Promise.allSettled([
          store.appendMulti([
            { streamId: 'partnership-b', expectedVersion: 0, events: newEvents(2) },
            { streamId: 'partnership-a', expectedVersion: 0, events: newEvents(1) },
          ]),
          store.append('partnership-c', newEvents(2), 0),
        ]);

        // then
        expect(failing.status).toBe('rejected');
        expect(valid).toMatchObject({ status: 'fulfilled', value: { lastPosition: 3 } });
        expect(await store.streamVersion('partnership-b')).toBe(0);
        expect((await store.readAll(1, 100)).map((event) => event.streamId)).toEqual(['partnership-a', 'partnership-c', 'partnership-c']);
      });
    });

    describe('subscriptions', () => {
      it('given an empty store and a subscriber from position 1, when events are appended, then it receives them live', async () => {
        // given
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe(1).subscribe((event) => received.push(event));

        // when
        await store.append('partnership-a', newEvents(2), 0);
        await store.append('partnership-b', newEvents(1), 0);

        // then
        await waitUntil(() => received.length >= 3);
        subscription.unsubscribe();
        expect(received).toEqual(await store.readAll(1, 100));
      });

      it('given two writers appending, when a subscriber starts mid-stream, then it sees every event from there exactly once, in order', async () => {
        // given
        const other = await secondWriter();
        for (let i = 0; i < 10; i++) await store.append(`seed-${i}`, newEvents(3), 0);
        const fromPosition = 17;

        // when
        const writers = [store, other].map(async (writer, w) => {
          for (let round = 0; round < 30; round++) {
            await Promise.all(Array.from({ length: 4 }, (_, k) => writer.append(`writer-${w}-${k}`, newEvents(2), 'any')));
          }
        });
        const received: RecordedEvent[] = [];
        let failure: unknown;
        const subscription = store.subscribe(fromPosition).subscribe({ next: (event) => received.push(event), error: (error) => (failure = error) });
        await Promise.all(writers);

        // then
        const head = await store.headPosition();
        expect(head).toBe(30 + 2 * 30 * 4 * 2);
        await waitUntil(() => received.length >= head - fromPosition + 1 || failure !== undefined);
        await delay(150); // long enough for a duplicate to show up
        subscription.unsubscribe();
        expect(failure).toBeUndefined();
        expect(received.map((event) => event.globalPosition)).toEqual(range(fromPosition, head));
        expect(received.map((event) => event.eventId)).toEqual((await store.readAll(fromPosition, head)).map((event) => event.eventId));
      });

      it('given a subscriber from beyond the head, when events are appended, then it receives only those from its position', async () => {
        // given
        await store.append('partnership-a', newEvents(3), 0);
        const received: number[] = [];
        const subscription = store.subscribe(5).subscribe((event) => received.push(event.globalPosition));

        // when
        await store.append('partnership-a', newEvents(3), 3);

        // then
        await waitUntil(() => received.length >= 2);
        await delay(100);
        subscription.unsubscribe();
        expect(received).toEqual([5, 6]);
      });

      it('given a subscriber that received two events, when it unsubscribes and more are appended, then it receives nothing more', async () => {
        // given
        await store.append('partnership-a', newEvents(2), 0);
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe(1).subscribe((event) => received.push(event));
        await waitUntil(() => received.length >= 2);

        // when
        subscription.unsubscribe();
        await store.append('partnership-a', newEvents(2), 2);
        await delay(200);

        // then
        expect(received.map((event) => event.globalPosition)).toEqual([1, 2]);
      });
    });

    describe('idempotency', () => {
      const idempotency = { key: 'key-1', requestHash: 'hash-1' };

      it('given an append recorded under a key, when the same request is repeated, then the recorded result is replayed and nothing is appended', async () => {
        // given
        const original = await store.append('partnership-a', newEvents(2), 0, { idempotency });

        // when
        const repeated = await store.append('partnership-a', newEvents(2), 0, { idempotency });

        // then
        expect(original.replayed).toBe(false);
        expect(repeated).toEqual({ ...original, replayed: true });
        expect(await store.headPosition()).toBe(2);
      });

      it('given an append recorded under a key, when another request uses the key, then IdempotencyKeyReused and nothing is appended', async () => {
        // given
        await store.append('partnership-a', newEvents(2), 0, { idempotency });

        // when
        const attempt = store.append('partnership-a', newEvents(1), 2, { idempotency: { key: 'key-1', requestHash: 'hash-2' } });

        // then
        await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReused);
        expect(await store.headPosition()).toBe(2);
      });

      it('given five identical requests with one key made at once, when they complete, then one appended and four replayed its result', async () => {
        // when
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.append('partnership-a', newEvents(1), 'any', { idempotency })),
        );

        // then
        expect(results.filter((result) => !result.replayed)).toHaveLength(1);
        expect(new Set(results.map((result) => result.lastPosition))).toEqual(new Set([1]));
        expect(await store.headPosition()).toBe(1);
      });

      it('given an append recorded under a key, when its record is looked up, then it holds the original result', async () => {
        // given
        const original = await store.append('partnership-a', newEvents(1), 0, { idempotency });

        // when
        const record = await store.findIdempotencyRecord('key-1');

        // then
        expect(record).toEqual({ key: 'key-1', requestHash: 'hash-1', result: original, recordedAt: expect.any(String) });
        expect(await store.findIdempotencyRecord('key-unknown')).toBeNull();
      });

      it('given an append refused for its expected version, when it is retried with the same key and the right version, then it is appended', async () => {
        // given
        await store.append('partnership-a', newEvents(1), 0);
        await expect(store.append('partnership-a', newEvents(1), 0, { idempotency })).rejects.toBeInstanceOf(ConcurrencyConflict);

        // when
        const retried = await store.append('partnership-a', newEvents(1), 1, { idempotency });

        // then
        expect(retried).toMatchObject({ replayed: false, lastPosition: 2 });
      });
    });

    describe('stream snapshots', () => {
      const snapshotOf = (state: unknown) => ({ schemaVersion: 1, state });

      it('given appends carrying snapshots, when the stream is read from its snapshot, then the latest comes back with only the events after it', async () => {
        // given
        await store.append('partnership-a', newEvents(2), 0);
        await store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 2, events: newEvents(3), snapshot: snapshotOf({ folded: 5, names: ['a', 'é'] }) }]);
        await store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 5, events: newEvents(2), snapshot: snapshotOf({ folded: 7 }) }]);
        await store.append('partnership-a', newEvents(2), 7);

        // when
        const { snapshot, events } = await store.readStreamFromSnapshot('partnership-a', 1);

        // then
        const all = await store.readStream('partnership-a');
        expect(all).toHaveLength(9); // a snapshot is not an event
        if (!fixture.keepsSnapshots) {
          expect(snapshot).toBeNull();
          expect(events).toEqual(all);
          return;
        }
        expect(snapshot).toEqual({ version: 7, schemaVersion: 1, state: { folded: 7 } });
        expect(events).toEqual(all.slice(7));
        expect(findChainBreak(await store.readAll(1, 100))).toBeNull();
      });

      it('given a multi-stream append with a snapshot for each stream, then each stream gets its own, at the version the append brought it to', async () => {
        // given
        await store.append('partnership-b', newEvents(4), 0);

        // when
        await store.appendMulti([
          { streamId: 'partnership-a', expectedVersion: 0, events: newEvents(1), snapshot: snapshotOf('a after 1') },
          { streamId: 'partnership-b', expectedVersion: 'any', events: newEvents(2), snapshot: snapshotOf('b after 6') },
        ]);

        // then
        const a = await store.readStreamFromSnapshot('partnership-a', 1);
        const b = await store.readStreamFromSnapshot('partnership-b', 1);
        expect([a.snapshot, b.snapshot]).toEqual(
          fixture.keepsSnapshots ? [{ version: 1, schemaVersion: 1, state: 'a after 1' }, { version: 6, schemaVersion: 1, state: 'b after 6' }] : [null, null],
        );
        expect(b.events.map((event) => event.streamVersion)).toEqual(fixture.keepsSnapshots ? [] : [1, 2, 3, 4, 5, 6]);
      });

      it('given two appends to one stream made at once, each with a snapshot, then the later one is kept', async () => {
        // when: one batch where the stores batch appends
        await Promise.all([
          store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 0, events: newEvents(1), snapshot: snapshotOf('at 1') }]),
          store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 1, events: newEvents(1), snapshot: snapshotOf('at 2') }]),
        ]);

        // then
        const { snapshot, events } = await store.readStreamFromSnapshot('partnership-a', 1);
        expect(snapshot).toEqual(fixture.keepsSnapshots ? { version: 2, schemaVersion: 1, state: 'at 2' } : null);
        expect(events).toHaveLength(fixture.keepsSnapshots ? 0 : 2);
      });

      it('given an append refused for its expected version, then its snapshot is not kept either', async () => {
        // given
        await store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 0, events: newEvents(2), snapshot: snapshotOf('at 2') }]);

        // when
        const refused = store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 1, events: newEvents(1), snapshot: snapshotOf('wrong') }]);

        // then
        await expect(refused).rejects.toBeInstanceOf(ConcurrencyConflict);
        const { snapshot } = await store.readStreamFromSnapshot('partnership-a', 1);
        expect(snapshot?.state ?? null).toEqual(fixture.keepsSnapshots ? 'at 2' : null);
      });

      it('given a snapshot of another schema version, when the stream is read from a snapshot, then none is used and every event comes back', async () => {
        // given
        await store.appendMulti([{ streamId: 'partnership-a', expectedVersion: 0, events: newEvents(3), snapshot: { schemaVersion: 1, state: 'old shape' } }]);

        // when
        const { snapshot, events } = await store.readStreamFromSnapshot('partnership-a', 2);

        // then
        expect(snapshot).toBeNull();
        expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
      });

      it('given a stream that does not exist, when it is read from a snapshot, then there is neither snapshot nor event', async () => {
        expect(await store.readStreamFromSnapshot('partnership-unknown', 1)).toEqual({ snapshot: null, events: [] });
      });
    });

    describe('hash chain', () => {
      it('given appends from two writers, some at once, when the log is verified, then the chain starts at genesis and has no break', async () => {
        // given
        const other = await secondWriter();
        await store.append('partnership-a', newEvents(2), 0);
        await Promise.all([
          store.append('partnership-b', newEvents(3), 0),
          other.append('partnership-c', newEvents(2), 0),
          store.appendMulti([
            { streamId: 'partnership-d', expectedVersion: 0, events: newEvents(1) },
            { streamId: 'partnership-e', expectedVersion: 0, events: newEvents(2) },
          ]),
          other.append('partnership-f', newEvents(1), 0),
        ]);

        // when
        const log = await store.readAll(1, 100);

        // then
        expect(log).toHaveLength(11);
        expect(log[0].hash).toBe(chainHash(log[0], GENESIS_HASH));
        expect(findChainBreak(log)).toBeNull();
      });
    });

    describe('durability', () => {
      it('given appended events, when the store is closed and reopened, then they are all there and appending continues the log', async () => {
        // given
        if (!fixture.reopen) throw new Error(`the ${adapterName} fixture must provide reopen`);
        await store.append('partnership-a', newEvents(2), 0);
        await store.append('partnership-b', newEvents(1), 0, { idempotency: { key: 'key-1', requestHash: 'hash-1' } });
        const before = await store.readAll(1, 100);

        // when
        await store.close();
        const reopened = await fixture.reopen();

        // then
        expect(await reopened.readAll(1, 100)).toEqual(before);
        expect(await reopened.findIdempotencyRecord('key-1')).not.toBeNull();
        expect(await reopened.append('partnership-a', newEvents(1), 2)).toMatchObject({ lastPosition: 4 });
        expect(findChainBreak(await reopened.readAll(1, 100))).toBeNull();
      });
    });
  });
}

export function newEvent(type = 'Tested', data: unknown = {}): NewEvent {
  return {
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { id: 'user-1', role: 'editor' },
      effectiveAt: '2024-01-01T00:00:00.000Z',
      correlationId: 'correlation-1',
      causationId: 'causation-1',
    },
  };
}

export function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent('Tested', { i }));
}

function expectExactlyOneWinner(outcomes: PromiseSettledResult<unknown>[], versionAfterWin: number): void {
  const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  expect(outcomes.length - rejected.length).toBe(1);
  for (const { reason } of rejected) {
    expect(reason).toBeInstanceOf(ConcurrencyConflict);
    expect(reason).toMatchObject({ actualVersion: versionAfterWin });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
