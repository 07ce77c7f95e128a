import type { BuildProgress } from '@registry/projector';
import { waitUntil } from '../support/wait';
import { appendMixedEvents, countsOf, expectedCounts, newEvent, streamCounter, typeCounter } from './support/projections';
import { TestStores } from './support/stores';

describe('ProjectorRuntime versions and rebuilds', () => {
  let stores: TestStores;

  beforeEach(() => {
    stores = new TestStores();
  });

  afterEach(async () => {
    await stores.dispose();
  });

  async function expectedStreams(): Promise<Record<string, number>> {
    return expectedCounts(await stores.eventStore.readAll(1, Number.MAX_SAFE_INTEGER)).streams;
  }

  it('given version 1 built, when the code bumps to version 2, then version 2 is built into fresh collections while queries read version 1, then swapped in and version 1 dropped', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 2000);
    const v1 = stores.runtime([streamCounter(1), typeCounter]);
    await v1.start();
    expect(await v1.waitForPosition(2000, 10_000)).toBe(true);
    const v1Counts = countsOf(await stores.all('stream_counts__v1'));
    await stores.restart();

    // when: version 2's build is held at position 1000
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const v2 = stores.runtime([streamCounter(2, { beforeApply: async (event) => {
      if (event.globalPosition !== 1000) return;
      held = true;
      await released;
    } }), typeCounter], { batchSize: 200 });
    await v2.start();
    await waitUntil(() => held);

    // then: the build writes its own collections, queries still read version 1
    const [building] = await v2.status();
    expect(building).toMatchObject({ name: 'stream-counter', version: 2, activeVersion: 1, position: 2000, building: { version: 2, position: 800 }, state: 'building' });
    expect(v2.collectionName('stream_counts')).toBe('stream_counts__v1');
    expect(countsOf(await v2.collection('stream_counts').find({}).toArray())).toEqual(v1Counts);
    expect(await stores.readStore.collection('stream_counts__v2').countDocuments()).toBeGreaterThan(0);
    expect(await stores.readStore.collection('stream_counts__v2').countDocuments({ version: { $ne: 2 } })).toBe(0);
    expect(await v2.waitForPosition(2000, 10, ['type-counter'])).toBe(true);

    // when: more events come during the build, then it is let go
    await appendMixedEvents(stores.eventStore, 300, 50, 2000);
    release();

    // then
    await waitUntil(() => v2.collectionName('stream_counts') === 'stream_counts__v2');
    expect(await v2.waitForPosition(2300, 5000)).toBe(true);
    expect(countsOf(await v2.collection('stream_counts').find({}).toArray())).toEqual(await expectedStreams());
    expect(await v2.collection('stream_counts').countDocuments({ version: { $ne: 2 } })).toBe(0);
    const collections = await stores.readStore.listCollections();
    expect(collections).not.toContain('stream_counts__v1');
    expect(collections).toContain('stream_counts__v2');
    expect(await stores.checkpoint('stream-counter')).toMatchObject({ version: 2, activeVersion: 2, position: 2300 });
    expect((await stores.checkpoint('stream-counter'))?.building).toBeUndefined();
    const [live] = await v2.status();
    expect(live).toMatchObject({ activeVersion: 2, state: 'live', lagEvents: 0 });
  });

  it('given a version 2 build interrupted by a failure and a restart, when the runtime starts again, then the build resumes from its own checkpoint', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 2000);
    const v1 = stores.runtime([streamCounter(1)]);
    await v1.start();
    expect(await v1.waitForPosition(2000, 10_000)).toBe(true);
    await stores.restart();
    const interrupted = stores.runtime([streamCounter(2, { beforeApply: (event) => {
      if (event.globalPosition === 550) throw new Error('interrupted');
    } })], { batchSize: 100 });
    await interrupted.start();
    expect(await interrupted.waitForPosition(2001, 5000)).toBe(false); // false at once: it failed
    expect((await interrupted.status())[0]).toMatchObject({ state: 'failed', error: 'interrupted', building: { version: 2, position: 500 } });
    await stores.restart();
    const resumedFrom = (await stores.checkpoint('stream-counter'))?.building?.position;
    expect(resumedFrom).toBe(500);

    // when
    const firstApplied: number[] = [];
    const resumed = stores.runtime([streamCounter(2, { beforeApply: (event) => void firstApplied.push(event.globalPosition) })], { batchSize: 100 });
    await resumed.start();

    // then
    await waitUntil(() => resumed.collectionName('stream_counts') === 'stream_counts__v2');
    expect(firstApplied[0]).toBe(501);
    expect(countsOf(await resumed.collection('stream_counts').find({}).toArray())).toEqual(await expectedStreams());
  });

  it('given a live runtime, when one projection is rebuilt, then progress is reported up to the head, fresh collections are swapped in and it goes on live', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 3000);
    const runtime = stores.runtime([streamCounter(), typeCounter], { batchSize: 500 });
    await runtime.start();
    expect(await runtime.waitForPosition(3000, 10_000)).toBe(true);
    const typeCheckpoint = await stores.checkpoint('type-counter');

    // when
    const progress: BuildProgress[] = [];
    await runtime.rebuild('stream-counter', { onProgress: (step) => progress.push(step) });

    // then
    expect(progress.map(({ applied }) => applied)).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expect(progress.every(({ projection, head }) => projection === 'stream-counter' && head === 3000)).toBe(true);
    expect(runtime.collectionName('stream_counts')).toBe('stream_counts__v1_1');
    expect(await stores.readStore.listCollections()).not.toContain('stream_counts__v1');
    expect(countsOf(await runtime.collection('stream_counts').find({}).toArray())).toEqual(await expectedStreams());
    expect(await stores.checkpoint('type-counter')).toEqual(typeCheckpoint);

    // when
    const { lastPosition } = await stores.eventStore.append('after-rebuild', [newEvent('Counted')], 'any');

    // then
    expect(await runtime.waitForPosition(lastPosition, 2000)).toBe(true);
    expect(await runtime.collection('stream_counts').findOne({ _id: 'after-rebuild' })).toMatchObject({ count: 1 });
  });

  it('given a runtime that is not started (a CLI), when everything is rebuilt, then each projection is rebuilt and left stopped', async () => {
    // given
    await appendMixedEvents(stores.eventStore, 1000);
    const server = stores.runtime([streamCounter(), typeCounter]);
    await server.start();
    expect(await server.waitForPosition(1000, 10_000)).toBe(true);
    await stores.restart();
    const cli = stores.runtime([streamCounter(), typeCounter]);

    // when
    await cli.rebuild();

    // then
    expect((await cli.status()).map(({ name, activeVersion, position, state }) => ({ name, activeVersion, position, state }))).toEqual([
      { name: 'stream-counter', activeVersion: 1, position: 1000, state: 'stopped' },
      { name: 'type-counter', activeVersion: 1, position: 1000, state: 'stopped' },
    ]);
    expect(cli.collectionName('stream-counter')).toBe('stream_counts__v1_1');
    expect(cli.collectionName('type_counts')).toBe('type_counts__v1_1');
    expect(countsOf(await cli.collection('stream_counts').find({}).toArray())).toEqual(await expectedStreams());
    expect((await stores.readStore.listCollections()).sort()).toEqual(['projector_checkpoints', 'stream_counts__v1_1', 'type_counts__v1_1']);
  });
});
