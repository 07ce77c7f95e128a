import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { EmbeddedReadStore, type EmbeddedReadStoreOptions, type ReadStore } from '@registry/read-store';
import { describeReadStoreContract } from './read-store.contract';

/** A fresh directory of its own; every store opened on it is closed by cleanup. */
function embeddedFixture(options?: EmbeddedReadStoreOptions) {
  const directory = mkdtempSync(join(tmpdir(), 'registry-read-store-'));
  const filePath = join(directory, 'read-models.sqlite');
  const opened: ReadStore[] = [];
  const closeAll = () => Promise.all(opened.map((store) => store.close()));
  const open = async (): Promise<ReadStore> => {
    const store = EmbeddedReadStore.open(directory, options);
    opened.push(store);
    return store;
  };
  return {
    filePath,
    open,
    reopen: async () => {
      await closeAll();
      return open();
    },
    cleanup: async () => {
      await closeAll();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

describeReadStoreContract('embedded', async () => {
  const { open, reopen, cleanup } = embeddedFixture();
  return { store: await open(), reopen, cleanup };
});

// Every document is then read from the file when needed, never kept.
describeReadStoreContract('embedded, without a document cache', async () => {
  const { open, reopen, cleanup } = embeddedFixture({ cacheMegabytes: 0 });
  return { store: await open(), reopen, cleanup };
});

describe('EmbeddedReadStore', () => {
  let fixture: ReturnType<typeof embeddedFixture>;
  let store: ReadStore;

  beforeEach(async () => {
    fixture = embeddedFixture();
    store = await fixture.open();
    await store.collection('partnerships').createIndex({ name: 1 }, { unique: true });
    await store.collection('partnerships').insertMany([
      { _id: 'p1', name: 'Clean Water', version: 1 },
      { _id: 'p2', name: 'Solar Villages', version: 1 },
    ]);
    await store.collection('checkpoints').insertOne({ _id: 'partnerships', position: 10 });
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  const snapshot = async (readStore: ReadStore) => ({
    partnerships: await readStore.collection('partnerships').find({}, { sort: { _id: 1 } }).toArray(),
    checkpoints: await readStore.collection('checkpoints').find().toArray(),
    organisations: await readStore.collection('organisations').find().toArray(),
  });

  it('given a commit whose last collection fails on a unique index, then no collection changes, in memory or on disk', async () => {
    // given
    const before = await snapshot(store);

    // when
    const attempt = store.commit([
      {
        collection: 'organisations',
        operations: [{ insertOne: { document: { _id: 'o1', name: 'UNEP' } } }],
      },
      {
        collection: 'partnerships',
        operations: [
          { updateOne: { filter: { _id: 'p1' }, update: { $inc: { version: 1 }, $set: { name: 'Renamed' } } } },
          { deleteOne: { filter: { _id: 'p2' } } },
          { insertOne: { document: { _id: 'p3', name: 'Solar Villages' } } },
          { updateOne: { filter: { _id: 'p4' }, update: { $set: { name: 'Renamed' } }, upsert: true } },
        ],
      },
      {
        collection: 'checkpoints',
        operations: [{ updateOne: { filter: { _id: 'partnerships' }, update: { $set: { position: 20 } } } }],
      },
    ]);

    // then
    await expect(attempt).rejects.toMatchObject({ code: 11000, message: expect.stringContaining('index: name_1') });
    expect(await snapshot(store)).toEqual(before);
    expect(await snapshot(await fixture.reopen())).toEqual(before);
  });

  it('given commits submitted together (live projectors), when one fails, then it alone is refused and the others are kept, in memory and on disk', async () => {
    // given
    const before = await snapshot(store);
    const newOrganisation = { collection: 'organisations', operations: [{ insertOne: { document: { _id: 'o1', name: 'UNEP' } } }] };
    const clashingName = { collection: 'partnerships', operations: [{ insertOne: { document: { _id: 'p9', name: 'Clean Water' } } }] };
    const checkpoint = { collection: 'checkpoints', operations: [{ updateOne: { filter: { _id: 'partnerships' }, update: { $set: { position: 30 } } } }] };

    // when: submitted in the same turn
    const outcomes = await Promise.allSettled([store.commit([newOrganisation]), store.commit([clashingName]), store.commit([checkpoint])]);

    // then
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const expected = {
      partnerships: before.partnerships,
      checkpoints: before.checkpoints.map((each) => (each._id === 'partnerships' ? { ...each, position: 30 } : each)),
      organisations: [{ _id: 'o1', name: 'UNEP' }],
    };
    expect(await snapshot(store)).toEqual(expected);
    expect(await snapshot(await fixture.reopen())).toEqual(expected);
  });

  it('given the unique index was kept in step, when a rolled-back commit is followed by a good one, then the freed and taken keys are right', async () => {
    // given: a failed commit that renamed p1 and deleted p2 before failing
    await expect(
      store.commit([
        {
          collection: 'partnerships',
          operations: [
            { updateOne: { filter: { _id: 'p1' }, update: { $set: { name: 'Renamed' } } } },
            { deleteOne: { filter: { _id: 'p2' } } },
            { insertOne: { document: { _id: 'p1', name: 'Again' } } },
          ],
        },
      ]),
    ).rejects.toMatchObject({ code: 11000 });

    // when / then: the old names are still taken, the new one is free
    await expect(store.collection('partnerships').insertOne({ _id: 'p5', name: 'Clean Water' })).rejects.toMatchObject({ code: 11000 });
    await expect(store.collection('partnerships').insertOne({ _id: 'p6', name: 'Solar Villages' })).rejects.toMatchObject({ code: 11000 });
    await store.collection('partnerships').insertOne({ _id: 'p7', name: 'Renamed' });
  });

  it('given a bulk write whose third operation fails, then the first two are not applied either', async () => {
    // when
    const attempt = store.collection('partnerships').bulkWrite([
      { updateOne: { filter: { _id: 'p1' }, update: { $inc: { version: 1 } } } },
      { insertOne: { document: { _id: 'p3', name: 'Coastal' } } },
      { updateOne: { filter: { _id: 'p2' }, update: { $inc: { name: 1 } } } },
    ]);

    // then
    await expect(attempt).rejects.toMatchObject({ code: 14 });
    expect(await store.collection('partnerships').find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'p1', name: 'Clean Water', version: 1 },
      { _id: 'p2', name: 'Solar Villages', version: 1 },
    ]);
  });

  it('given the SQLite transaction fails, when committing, then nothing of the commit is visible, and later commits work', async () => {
    // given: a document that can only fail when it is written to the file (JSON has no BigInt),
    // after the first document of the same transaction was written
    const before = await snapshot(store);

    // when
    const attempt = store.commit([
      { collection: 'partnerships', operations: [{ updateOne: { filter: { _id: 'p1' }, update: { $inc: { version: 1 } } } }] },
      { collection: 'organisations', operations: [{ insertOne: { document: { _id: 'o1', budget: BigInt(10) } } }] },
    ]);

    // then
    await expect(attempt).rejects.toThrow(/BigInt/);
    expect(await snapshot(store)).toEqual(before);
    await store.collection('organisations').insertOne({ _id: 'o2' });
    expect(await store.collection('organisations').find().toArray()).toEqual([{ _id: 'o2' }]);
  });

  it('given values that are not JSON, when stored, then they come back as their JSON, before and after reopening', async () => {
    // when
    await store.collection('audit').insertOne({ _id: 'a1', at: new Date('2004-05-06T07:08:09.000Z'), gone: undefined });
    await store.collection('audit').updateOne({ _id: 'a1' }, { $set: { seen: new Date('2005-01-01T00:00:00.000Z') } });

    // then
    const expected = { _id: 'a1', at: '2004-05-06T07:08:09.000Z', seen: '2005-01-01T00:00:00.000Z' };
    expect(await store.collection('audit').findOne({ _id: 'a1' })).toEqual(expected);
    expect(await (await fixture.reopen()).collection('audit').findOne({ _id: 'a1' })).toEqual(expected);
  });

  it('given documents handed over, when committed, then reads still return copies, values that are not JSON come back as their JSON, and the file agrees after reopening', async () => {
    // given: a plain document and one with values JSON changes (undefined, a Date, NaN, a hole)
    const plain = { name: 'Clean Water', partners: [{ orgId: 'unep' }], version: 2 };
    const notJson = { at: new Date('2004-05-06T07:08:09.000Z'), gone: undefined, ratio: NaN, list: [1, , 3] };

    // when
    await store.commit(
      [
        { collection: 'partnerships', operations: [{ replaceOne: { filter: { _id: 'p1' }, replacement: plain } }] },
        { collection: 'audit', operations: [{ replaceOne: { filter: { _id: 'a1' }, replacement: notJson, upsert: true } }] },
      ],
      { handOver: true },
    );

    // then
    const expected = { _id: 'p1', name: 'Clean Water', partners: [{ orgId: 'unep' }], version: 2 };
    const read = await store.collection('partnerships').findOne({ _id: 'p1' });
    expect(read).toEqual(expected);
    read!.partners = [];
    expect(await store.collection('partnerships').findOne({ _id: 'p1' })).toEqual(expected);
    const asJson = { _id: 'a1', at: '2004-05-06T07:08:09.000Z', ratio: null, list: [1, null, 3] };
    expect(await store.collection('audit').findOne({ _id: 'a1' })).toEqual(asJson);
    const reopened = await fixture.reopen();
    expect(await reopened.collection('partnerships').findOne({ _id: 'p1' })).toEqual(expected);
    expect(await reopened.collection('audit').findOne({ _id: 'a1' })).toEqual(asJson);
  });

  it('given two handed-over documents sharing a part, when one is updated, then the other does not change', async () => {
    // given
    const shared = { primary: ['water'] };
    await store.commit(
      [
        {
          collection: 'partnerships',
          operations: [
            { replaceOne: { filter: { _id: 'p1' }, replacement: { name: 'Clean Water', themes: shared } } },
            { replaceOne: { filter: { _id: 'p2' }, replacement: { name: 'Solar Villages', themes: shared } } },
          ],
        },
      ],
      { handOver: true },
    );

    // when
    await store.collection<{ _id: string; themes: { primary: string[] } }>('partnerships').updateOne({ _id: 'p1' }, { $push: { 'themes.primary': 'energy' } });

    // then
    expect(await store.collection('partnerships').findOne({ _id: 'p1' })).toMatchObject({ themes: { primary: ['water', 'energy'] } });
    expect(await store.collection('partnerships').findOne({ _id: 'p2' })).toMatchObject({ themes: { primary: ['water'] } });
  });

  it('given an _id that is neither a string nor a number, when inserted, then it is refused', async () => {
    await expect(store.collection('audit').insertOne({ _id: { nested: 1 } as never })).rejects.toThrow('_id to be a string or a number');
    expect(await store.listCollections()).not.toContain('audit');
  });

  it('given updates that change an indexed field and updates that leave it, when reopened, then the index finds each document by its last value', async () => {
    // given
    const compliance = store.collection('compliance');
    await compliance.createIndex({ status: 1 });
    await compliance.insertMany([{ _id: 'p1', status: 'active', n: 0 }, { _id: 'p2', status: 'active', n: 0 }]);

    // when: p1 ends and is touched again in one commit, p2 ends and comes back in another, then is touched alone
    await store.commit([{ collection: 'compliance', operations: [
      { updateOne: { filter: { _id: 'p1' }, update: { $set: { status: 'ended' } } } },
      { updateOne: { filter: { _id: 'p1' }, update: { $inc: { n: 1 } } } },
    ] }]);
    await store.commit([{ collection: 'compliance', operations: [
      { updateOne: { filter: { _id: 'p2' }, update: { $set: { status: 'ended' } } } },
      { updateOne: { filter: { _id: 'p2' }, update: { $set: { status: 'active' } } } },
    ] }]);
    await compliance.updateOne({ _id: 'p2' }, { $inc: { n: 1 } });

    // then
    const reopened = (await fixture.reopen()).collection('compliance');
    expect(await reopened.find({ status: 'ended' }).toArray()).toEqual([{ _id: 'p1', status: 'ended', n: 1 }]);
    expect(await reopened.find({ status: 'active' }).toArray()).toEqual([{ _id: 'p2', status: 'active', n: 1 }]);
  });

  it('given ids of equal text but different types, then they are different documents, also after reopening', async () => {
    // when
    await store.collection('trends').insertMany([{ _id: 1, kind: 'number' }, { _id: '1', kind: 'string' }]);

    // then
    const reopened = await fixture.reopen();
    expect(await reopened.collection('trends').findOne({ _id: 1 })).toEqual({ _id: 1, kind: 'number' });
    expect(await reopened.collection('trends').findOne({ _id: '1' })).toEqual({ _id: '1', kind: 'string' });
  });

  it('given a file written before the index keys were saved, when opened, then they are saved once and queries on indexes work', async () => {
    // given: the file of an earlier version, without the keys column
    await fixture.cleanup();
    fixture = embeddedFixture();
    const old = new Database(fixture.filePath);
    old.exec(`
      CREATE TABLE documents (collection TEXT NOT NULL, id NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (collection, id));
      CREATE TABLE indexes (collection TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (collection, name));
      INSERT INTO indexes VALUES ('partnerships', 'status', '{"name":"status","key":{"status":1},"unique":false}');
      INSERT INTO documents VALUES ('partnerships', 'p1', '{"_id":"p1","status":"active","name":"Clean Water"}');
      INSERT INTO documents VALUES ('partnerships', 'p2', '{"_id":"p2","status":"ended","name":"Solar Villages"}');
    `);
    old.close();

    // when
    store = await fixture.open();

    // then
    expect(await store.collection('partnerships').find({ status: 'ended' }).toArray()).toEqual([{ _id: 'p2', status: 'ended', name: 'Solar Villages' }]);
    await store.close();
    const db = new Database(fixture.filePath, { readonly: true });
    expect(db.prepare('SELECT id, keys FROM document_keys ORDER BY id').all()).toEqual([
      { id: 'p1', keys: '{"status":"active","_id":"p1"}' },
      { id: 'p2', keys: '{"status":"ended","_id":"p2"}' },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('given an open store, when another opens the same directory, then it is refused with a message that says why', () => {
    expect(() => EmbeddedReadStore.open(dirname(fixture.filePath))).toThrow(/is open in another process .* it allows one at a time/);
  });

  it('given an open store, then its file is in WAL mode and its directory locked against other processes', async () => {
    // given
    const lock = new Database(join(dirname(fixture.filePath), 'read-models.lock'), { timeout: 50 });

    // then
    expect(() => lock.exec('BEGIN EXCLUSIVE; COMMIT')).toThrow('database is locked');
    lock.close();
    await store.close();
    const db = new Database(fixture.filePath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('given commits, then a thread of its own copies the log into the file while the store stays open', async () => {
    // given: the file as it stood before the documents below (the log holds them until a checkpoint)
    const before = statSync(fixture.filePath).size;

    // when
    const documents = Array.from({ length: 500 }, (_, i) => ({ _id: `d${i}`, text: 'x'.repeat(2000) }));
    await store.collection('bulk').insertMany(documents);

    // then: the file grows by them without the store checkpointing in its commits
    const deadline = Date.now() + 10_000;
    while (statSync(fixture.filePath).size < before + 500 * 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statSync(fixture.filePath).size).toBeGreaterThanOrEqual(before + 500 * 2000);
    expect(await store.collection('bulk').countDocuments({})).toBe(500);
  });

  it('given the store is closed, when reading or writing, then it rejects', async () => {
    // given
    await store.close();

    // when / then
    await expect(store.collection('partnerships').findOne({ _id: 'p1' })).rejects.toThrow('closed');
    await expect(store.commit([])).rejects.toThrow('closed');
  });
});
