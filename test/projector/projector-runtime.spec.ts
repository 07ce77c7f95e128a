import { delay, waitUntil } from '../support/wait';
import { appendMixedEvents, countsOf, expectedCounts, failingProjection, newEvent, streamCounter, typeCounter } from './support/projections';
import { TestStores } from './support/stores';

describe('ProjectorRuntime', () => {
  let stores: TestStores;

  beforeEach(() => {
    stores = new TestStores();
  });

  afterEach(async () => {
    await stores.dispose();
  });

  async function expectCountsToMatchLog(streamCollection: string, typeCollection: string): Promise<void> {
    const expected = expectedCounts(await stores.eventStore.readAll(1, Number.MAX_SAFE_INTEGER));
    expect(countsOf(await stores.all(streamCollection))).toEqual(expected.streams);
    expect(countsOf(await stores.all(typeCollection))).toEqual(expected.types);
  }

  it('given events in the log, when the runtime starts, then it catches up, follows live appends within milliseconds, and ignored events advance the checkpoint', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 5000);
    const runtime = stores.runtime([streamCounter(), typeCounter]);

    // when
    await runtime.start();

    // then
    expect(await runtime.waitForPosition(5000, 10_000)).toBe(true);
    await expectCountsToMatchLog(runtime.collectionName('stream_counts'), runtime.collectionName('type-counter'));
    expect(runtime.collectionName('stream_counts')).toBe('stream_counts__v1');

    // when: live appends, the last ones ignored by the stream counter
    const { lastPosition } = await stores.eventStore.append('live', [newEvent('Counted'), newEvent('Noise'), newEvent('Noise')], 'any');
    const appendedAt = Date.now();

    // then
    expect(await runtime.waitForPosition(lastPosition, 1000)).toBe(true);
    expect(Date.now() - appendedAt).toBeLessThan(500);
    expect((await stores.checkpoint('stream-counter'))?.position).toBe(lastPosition);
    expect(await runtime.collection('stream_counts').findOne({ _id: 'live' })).toMatchObject({ count: 1 });
    await expectCountsToMatchLog('stream_counts__v1', 'type_counts__v1');
    const status = await runtime.status();
    expect(status).toEqual([
      expect.objectContaining({ name: 'stream-counter', version: 1, activeVersion: 1, position: lastPosition, headPosition: lastPosition, lagEvents: 0, lagMs: 0, state: 'live' }),
      expect.objectContaining({ name: 'type-counter', version: 1, activeVersion: 1, position: lastPosition, lagEvents: 0, state: 'live' }),
    ]);
  });

  it('given a runtime that applied part of the log and was stopped, when it restarts on reopened stores with more events, then it resumes from its checkpoint and applies nothing twice', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 3000);
    const first = stores.runtime([streamCounter(), typeCounter], { batchSize: 250 });
    await first.start();
    expect(await first.waitForPosition(3000, 10_000)).toBe(true);
    await stores.restart();
    await appendMixedEvents(stores.eventStore, 2000, 50, 3000);

    // when
    const second = stores.runtime([streamCounter(), typeCounter], { batchSize: 250 });
    await second.start();

    // then
    expect(await second.waitForPosition(5000, 10_000)).toBe(true);
    await expectCountsToMatchLog('stream_counts__v1', 'type_counts__v1');
    expect((await stores.checkpoint('type-counter'))?.position).toBe(5000);
  });

  it('given live projections, when commands keep appending while one of them is rebuilt, then the live ones share one reader of the log, the rebuilt one catches up on its own and joins it, and all match the log', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 3000);
    const subscribe = jest.spyOn(stores.eventStore, 'subscribe');
    const runtime = stores.runtime([streamCounter(), typeCounter], { batchSize: 250 });
    await runtime.start();
    expect(await runtime.waitForPosition(3000, 10_000)).toBe(true);
    await appendMixedEvents(stores.eventStore, 500, 50, 3000);
    expect(await runtime.waitForPosition(3500, 5000)).toBe(true);
    expect(subscribe).toHaveBeenCalledTimes(1);

    // when: appends go on during the rebuild
    let appended = 3500;
    const appending = (async () => {
      for (; appended < 5000; appended += 100) {
        await appendMixedEvents(stores.eventStore, 100, 50, appended);
        await delay(1);
      }
    })();
    await runtime.rebuild('stream-counter');
    await appending;

    // then
    expect(await runtime.waitForPosition(5000, 10_000)).toBe(true);
    expect(runtime.collectionName('stream_counts')).toBe('stream_counts__v1_1');
    await expectCountsToMatchLog('stream_counts__v1_1', 'type_counts__v1');
    expect((await runtime.status()).map(({ state }) => state)).toEqual(['live', 'live']);
    expect(subscribe).toHaveBeenCalledTimes(1); // the type counter kept it open; the rebuilt one joined it
  });

  it('given a long log on the synchronous stores (SQLite, embedded), when the runtime catches up, then timers fire meanwhile: each batch yields to the event loop', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 5000);
    let applied = 0;
    const runtime = stores.runtime([streamCounter(1, { beforeApply: (event) => void (applied = event.globalPosition) }), typeCounter], { batchSize: 100 });

    // when
    await runtime.start();
    await delay(1);

    // then: the timer fired with the catch-up under way
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(5000);
    expect(await runtime.waitForPosition(5000, 10_000)).toBe(true);
  });

  it('given projections catching up from the same position, when the runtime starts and then rebuilds them all, then each batch of the log is read once for all of them', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 3000);
    const readAll = jest.spyOn(stores.eventStore, 'readAll');
    const runtime = stores.runtime([streamCounter(), typeCounter, failingProjection], { batchSize: 500 }); // no poison in this log
    const batchesRead = () => readAll.mock.calls.filter(([from, limit]) => limit === 500 && from <= 3000).map(([from]) => from);

    // when
    await runtime.start();
    expect(await runtime.waitForPosition(3000, 10_000)).toBe(true);

    // then
    expect(batchesRead()).toEqual([1, 501, 1001, 1501, 2001, 2501]);

    // when
    readAll.mockClear();
    await runtime.rebuild();

    // then
    expect(batchesRead()).toEqual([1, 501, 1001, 1501, 2001, 2501]);
    await expectCountsToMatchLog('stream_counts__v1_1', 'type_counts__v1_1');
    expect(await runtime.collection('failing_counts').findOne({ _id: 'all' })).toMatchObject({ count: 3000 });
  });

  it('given a stopped runtime behind the log, when its status is asked, then it shows the lag in events and in time', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 100);
    const runtime = stores.runtime([typeCounter]);
    await runtime.start();
    expect(await runtime.waitForPosition(100, 5000)).toBe(true);
    await runtime.stop();
    await appendMixedEvents(stores.eventStore, 30, 50, 100);
    await delay(50);

    // when
    const [status] = await runtime.status();

    // then
    expect(status).toMatchObject({ name: 'type-counter', position: 100, headPosition: 130, lagEvents: 30, state: 'stopped' });
    expect(status.lagMs).toBeGreaterThanOrEqual(40);
    expect(status.lagMs).toBeLessThan(5000);
  });

  it('given a position beyond the head, when waited for, then it answers false after the timeout, and true as soon as an append reaches it', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 10);
    const runtime = stores.runtime([streamCounter(), typeCounter]);
    await runtime.start();

    // when
    const startedAt = Date.now();
    const timedOut = await runtime.waitForPosition(11, 100);

    // then
    expect(timedOut).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);

    // when
    const waiting = runtime.waitForPosition(12, 5000);
    await stores.eventStore.append('late', [newEvent('Counted'), newEvent('Counted')], 'any');

    // then
    expect(await waiting).toBe(true);
  });

  it('given a projection that throws on an event, when the runtime runs, then that projection fails with its batch uncommitted while the others go on live', async () => {
    // given: the poison in the middle of the first batch
    await appendMixedEvents(stores.eventStore, 40);
    await stores.eventStore.append('poison', [newEvent('Poison')], 'any');
    await appendMixedEvents(stores.eventStore, 40, 50, 41);
    const runtime = stores.runtime([failingProjection, typeCounter, streamCounter()], { batchSize: 20 });

    // when
    await runtime.start();

    // then
    expect(await runtime.waitForPosition(81, 5000, ['type-counter', 'stream-counter'])).toBe(true);
    expect(await runtime.waitForPosition(81, 5000)).toBe(false);
    const failing = (await runtime.status()).find(({ name }) => name === 'failing');
    expect(failing).toMatchObject({ state: 'failed', error: 'poisoned at 41', position: 40 });
    expect((await stores.checkpoint('failing'))?.position).toBe(40);
    expect(await stores.readStore.collection('failing_counts__v1').findOne({ _id: 'all' })).toMatchObject({ count: 40 });

    // when: the others keep following the log
    const { lastPosition } = await stores.eventStore.append('after', [newEvent('Counted')], 'any');

    // then
    expect(await runtime.waitForPosition(lastPosition, 2000, ['type-counter', 'stream-counter'])).toBe(true);
    expect((await runtime.status()).map(({ name, state }) => [name, state])).toEqual([
      ['failing', 'failed'],
      ['type-counter', 'live'],
      ['stream-counter', 'live'],
    ]);
  });

  it('given a batch in flight, when the runtime is stopped, then stop waits for its commit and nothing is written afterwards', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 2000);
    let applied = 0;
    const slow = streamCounter(1, { beforeApply: () => delay(applied++ % 50 === 0 ? 1 : 0) });
    const runtime = stores.runtime([slow], { batchSize: 100 });
    await runtime.start();
    await waitUntil(() => applied > 150);

    // when
    await runtime.stop();

    // then
    const checkpoint = await stores.checkpoint('stream-counter');
    expect(checkpoint?.position).toBeGreaterThanOrEqual(100);
    expect(checkpoint?.position).toBeLessThan(2000);
    expect(applied).toBe(checkpoint?.position);
    const expected = expectedCounts(await stores.eventStore.readAll(1, checkpoint!.position));
    expect(countsOf(await stores.all('stream_counts__v1'))).toEqual(expected.streams);
    await delay(50);
    expect((await stores.checkpoint('stream-counter'))?.position).toBe(checkpoint?.position);
    expect((await runtime.status())[0].state).toBe('stopped');
  });

  it('given guarded (non-atomic) commits whose later checkpoints were lost in a crash, when the runtime restarts, then the documents already written are not counted twice', async () => {
    // given: documents written up to 3000, checkpoints back at 1234, as MongoDB may leave them
    await appendMixedEvents(stores.eventStore, 3000);
    const first = stores.runtime([streamCounter(), typeCounter], { atomicCommit: false, batchSize: 500 });
    await first.start();
    expect(await first.waitForPosition(3000, 10_000)).toBe(true);
    await first.stop();
    await stores.readStore.collection('projector_checkpoints').updateMany({}, { $set: { position: 1234 } });
    await stores.restart();

    // when
    const second = stores.runtime([streamCounter(), typeCounter], { atomicCommit: false, batchSize: 500 });
    await second.start();

    // then
    expect(await second.waitForPosition(3000, 10_000)).toBe(true);
    await expectCountsToMatchLog('stream_counts__v1', 'type_counts__v1');
  });
});
