import {
  type Document,
  type IndexKeys,
  isDuplicateKeyError,
  type ReadCollection,
  type ReadStore,
  type ReadStoreUpdate,
  type WithoutId,
} from '@registry/read-store';

export interface ReadStoreFixture {
  /** A store over empty storage of its own. */
  store: ReadStore;
  /** Closes every store opened so far and opens the same storage again. */
  reopen: () => Promise<ReadStore>;
  /** Closes every store the fixture opened and deletes the storage. */
  cleanup: () => Promise<void>;
}

/** Schemas are plain interfaces: the driver's typings refuse `$push` and `$pull` on types that extend `Document`. */
interface Partnership {
  _id: string;
  name: string;
  status: string;
  scope: string;
  themes: string[];
  resources?: { amount: number };
  partners: { orgId: string; type: string; lead: boolean }[];
  registeredAt: string;
  log?: { by: string }[];
}

interface Timeline {
  _id: string;
  name?: string;
  status?: string;
  org?: { id: string };
  counts?: { reports?: number; amendments?: number };
  details?: { scope: string };
  themes?: string[];
  tags?: string[];
  partners?: { orgId: string }[];
  history?: { at: number }[];
  events?: string[];
  regions?: string[];
  stats?: { views: number };
  lastPosition?: number;
  firstPosition?: number;
  high?: number;
  low?: number;
  eventCount?: number;
  createdAt?: string;
  obsolete?: boolean;
}

/** An update that the driver's typings refuse, to see that the store refuses it too. */
const untyped = (update: object) => update as ReadStoreUpdate<Timeline>;

const PARTNERSHIPS: Partnership[] = [
  {
    _id: 'p1',
    name: 'Clean Water Alliance',
    status: 'active',
    scope: 'global',
    themes: ['water', 'health'],
    resources: { amount: 500 },
    partners: [
      { orgId: 'o1', type: 'government', lead: true },
      { orgId: 'o2', type: 'ngo', lead: false },
    ],
    registeredAt: '2003-02-01',
  },
  {
    _id: 'p2',
    name: 'Solar Villages',
    status: 'active',
    scope: 'regional',
    themes: ['energy'],
    resources: { amount: 1200 },
    partners: [{ orgId: 'o2', type: 'ngo', lead: true }],
    registeredAt: '2004-06-15',
  },
  {
    _id: 'p3',
    name: 'Mercury-free Mining',
    status: 'ended',
    scope: 'global',
    themes: ['chemicals', 'health'],
    resources: { amount: 80 },
    partners: [
      { orgId: 'o3', type: 'business', lead: true },
      { orgId: 'o1', type: 'government', lead: false },
    ],
    registeredAt: '2002-09-04',
  },
  { _id: 'p4', name: 'coastal fisheries', status: 'active', scope: 'national', themes: [], partners: [], registeredAt: '2005-01-20' },
];

const ids = (documents: Document[]) => documents.map((document) => document._id);
const withoutId = ({ _id, ...fields }: Partnership): WithoutId<Partnership> => fields;

/**
 * The behaviour every `ReadStore` adapter must have: MongoDB's, for the subset the port names.
 * Adapter specs call this with a fixture factory; what only one adapter promises (the embedded
 * store's atomic writes) lives in its own spec.
 */
export function describeReadStoreContract(adapterName: string, openStore: () => Promise<ReadStoreFixture>): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let fixture: ReadStoreFixture;
    let store: ReadStore;
    let partnerships: ReadCollection<Partnership>;

    beforeEach(async () => {
      fixture = await openStore();
      store = fixture.store;
      partnerships = store.collection<Partnership>('partnerships');
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    const seed = () => partnerships.insertMany(PARTNERSHIPS);
    const find = (filter: Document, options = {}) => partnerships.find(filter, { sort: { _id: 1 }, ...options }).toArray();

    /** Indexes on the fields the finding cases filter and sort on, so that an adapter's plans on indexes are checked too. */
    const createIndexes = async () => {
      const indexes: IndexKeys[] = [{ status: 1, 'resources.amount': -1 }, { scope: 1 }, { themes: 1 }, { 'partners.orgId': 1 }, { registeredAt: 1 }, { name: 1 }];
      for (const keys of indexes) {
        await partnerships.createIndex(keys);
      }
    };
    const reopen = async () => {
      store = await fixture.reopen();
      partnerships = store.collection<Partnership>('partnerships');
    };

    describe.each([
      ['without indexes', seed],
      ['with indexes created before the documents', async () => (await createIndexes(), await seed())],
      ['with indexes created over the documents, after reopening', async () => (await seed(), await createIndexes(), await reopen())],
    ])('finding %s', (_, given) => {
      beforeEach(given);

      it('given partnerships, when filtering with comparison operators and dotted paths, then the matching ones come back', async () => {
        expect(ids(await find({ status: 'active' }))).toEqual(['p1', 'p2', 'p4']);
        expect(ids(await find({ status: { $eq: 'ended' } }))).toEqual(['p3']);
        expect(ids(await find({ scope: { $in: ['regional', 'national'] } }))).toEqual(['p2', 'p4']);
        expect(ids(await find({ 'resources.amount': { $gte: 500 } }))).toEqual(['p1', 'p2']);
        expect(ids(await find({ 'resources.amount': { $lt: 1000 }, status: 'active' }))).toEqual(['p1']);
        expect(ids(await find({ name: { $regex: '^c', $options: 'i' } }))).toEqual(['p1', 'p4']);
        expect(ids(await find({ resources: { $exists: false } }))).toEqual(['p4']);
        expect(ids(await find({ $or: [{ scope: 'regional' }, { status: 'ended' }] }))).toEqual(['p2', 'p3']);
        expect(ids(await find({ _id: { $in: ['p3', 'p1', 'p9'] } }))).toEqual(['p1', 'p3']);
        expect(ids(await find({ _id: 'p2', status: 'ended' }))).toEqual([]);
      });

      it('given partnerships with array fields, when filtering on them, then elements, $elemMatch and paths into arrays match as in MongoDB', async () => {
        expect(ids(await find({ themes: 'health' }))).toEqual(['p1', 'p3']);
        expect(ids(await find({ themes: { $in: ['energy', 'chemicals'] } }))).toEqual(['p2', 'p3']);
        expect(ids(await find({ themes: ['energy'] }))).toEqual(['p2']);
        expect(ids(await find({ themes: { $size: 0 } }))).toEqual(['p4']);
        expect(ids(await find({ 'partners.orgId': 'o1' }))).toEqual(['p1', 'p3']);
        expect(ids(await find({ partners: { $elemMatch: { orgId: 'o1', lead: true } } }))).toEqual(['p1']);
        expect(ids(await find({ 'partners.type': { $regex: '^gov' } }))).toEqual(['p1', 'p3']);
      });

      it('given partnerships, when sorting on several keys, one of them dotted, then skip and limit apply to that order', async () => {
        // given: active ones by amount descending, a missing amount last; then the ended one
        const sort = { status: 1, 'resources.amount': -1 } as const;

        // when
        const all = await partnerships.find({}, { sort }).toArray();
        const page = await partnerships.find({}, { sort, skip: 1, limit: 2 }).toArray();

        // then
        expect(ids(all)).toEqual(['p2', 'p1', 'p4', 'p3']);
        expect(ids(page)).toEqual(['p1', 'p4']);
        expect(ids(await partnerships.find({}, { sort: { registeredAt: -1 }, limit: 0 }).toArray())).toEqual(['p4', 'p2', 'p1', 'p3']);
      });

      it('given an array field, when sorting on it, then ascending uses the smallest element and descending the largest, an empty array first', async () => {
        expect(ids(await partnerships.find({}, { sort: { themes: 1 } }).toArray())).toEqual(['p4', 'p3', 'p2', 'p1']);
        expect(ids(await partnerships.find({}, { sort: { themes: -1 } }).toArray())).toEqual(['p1', 'p3', 'p2', 'p4']);
      });

      it('given partnerships, when projecting, then inclusion keeps _id unless excluded and exclusion drops only the named fields', async () => {
        expect(await find({ scope: 'global' }, { projection: { name: 1, 'resources.amount': 1 } })).toEqual([
          { _id: 'p1', name: 'Clean Water Alliance', resources: { amount: 500 } },
          { _id: 'p3', name: 'Mercury-free Mining', resources: { amount: 80 } },
        ]);
        expect(await find({ _id: 'p4' }, { projection: { _id: 0, name: 1 } })).toEqual([{ name: 'coastal fisheries' }]);
        const { partners, themes, ...rest } = PARTNERSHIPS[1];
        expect(await find({ _id: 'p2' }, { projection: { partners: 0, themes: 0 } })).toEqual([rest]);
        const { _id, ...withoutId } = rest;
        expect(await find({ _id: 'p2' }, { projection: { _id: 0, partners: 0, themes: false } })).toEqual([withoutId]);
        const { amount, ...otherResources } = PARTNERSHIPS[0].resources as Record<string, unknown>;
        expect(await find({ _id: 'p1' }, { projection: { 'resources.amount': 0 } })).toEqual([{ ...PARTNERSHIPS[0], resources: otherResources }]);
      });

      it('given partnerships, when finding one or counting, then the first in sort order and the count of matches come back', async () => {
        expect(await partnerships.findOne({ status: 'active' }, { sort: { registeredAt: -1 } })).toEqual(PARTNERSHIPS[3]);
        expect(await partnerships.findOne({ _id: 'p2' }, { projection: { name: 1 } })).toEqual({ _id: 'p2', name: 'Solar Villages' });
        expect(await partnerships.findOne({ status: 'unknown' })).toBeNull();
        expect(await partnerships.countDocuments({ status: 'active' })).toBe(3);
        expect(await partnerships.countDocuments({ 'partners.orgId': 'o2' })).toBe(2);
        expect(await partnerships.countDocuments()).toBe(4);
        expect(await store.collection('never-written').countDocuments()).toBe(0);
      });

      it('given partnerships, when a filter mixes fields of several kinds, then equality, $in, $or, null and types match as in MongoDB', async () => {
        expect(ids(await find({ 'partners.orgId': { $in: ['o3', 'o9'] }, status: 'ended' }))).toEqual(['p3']);
        expect(ids(await find({ $or: [{ themes: 'energy' }, { 'partners.orgId': 'o3' }] }))).toEqual(['p2', 'p3']);
        expect(ids(await find({ $and: [{ status: 'active' }, { name: { $regex: 'a' } }], themes: { $ne: 'energy' } }))).toEqual(['p1', 'p4']);
        expect(ids(await find({ 'resources.amount': null }))).toEqual(['p4']);
        expect(ids(await find({ 'resources.amount': '500' }))).toEqual([]);
        expect(ids(await find({ themes: { $in: [] } }))).toEqual([]);
        expect(ids(await find({ status: 'active', 'partners.type': 'ngo' }, { sort: { name: 1 }, limit: 1 }))).toEqual(['p1']);
        expect(ids(await find({ status: 'active', 'partners.type': 'ngo' }, { sort: { name: 1 }, skip: 1 }))).toEqual(['p2']);
        expect(ids(await find({ status: 'active' }, { sort: { 'partners.type': -1, _id: 1 }, skip: 1, limit: 1 }))).toEqual(['p2']);
        expect(await partnerships.countDocuments({ status: 'active', 'partners.type': 'ngo' })).toBe(2);
        expect(await partnerships.countDocuments({ $or: [{ scope: 'global' }, { themes: 'energy' }] })).toBe(3);
      });

      it('given partnerships, when a cursor is iterated, then it yields the documents in order', async () => {
        const seen: string[] = [];
        for await (const partnership of partnerships.find({ status: 'active' }, { sort: { name: -1 } })) seen.push(partnership._id);
        expect(seen).toEqual(['p4', 'p2', 'p1']);
      });
    });

    describe('aggregating', () => {
      beforeEach(seed);

      it('given partnerships, when unwinding themes and grouping, then each theme is counted', async () => {
        // when
        const counts = await partnerships
          .aggregate([{ $unwind: '$themes' }, { $group: { _id: '$themes', partnerships: { $sum: 1 } } }, { $sort: { partnerships: -1, _id: 1 } }])
          .toArray();

        // then
        expect(counts).toEqual([
          { _id: 'health', partnerships: 2 },
          { _id: 'chemicals', partnerships: 1 },
          { _id: 'energy', partnerships: 1 },
          { _id: 'water', partnerships: 1 },
        ]);
      });

      it('given partnerships, when matching first, then grouping with sums, projecting and counting see only the matches', async () => {
        expect(
          await partnerships
            .aggregate([{ $group: { _id: '$status', amount: { $sum: '$resources.amount' }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
            .toArray(),
        ).toEqual([
          { _id: 'active', amount: 1700, n: 3 },
          { _id: 'ended', amount: 80, n: 1 },
        ]);
        expect(
          await partnerships
            .aggregate([{ $match: { scope: 'global' } }, { $project: { _id: 0, name: 1, partnerCount: { $size: '$partners' } } }, { $sort: { name: 1 } }])
            .toArray(),
        ).toEqual([
          { name: 'Clean Water Alliance', partnerCount: 2 },
          { name: 'Mercury-free Mining', partnerCount: 2 },
        ]);
        expect(await partnerships.aggregate([{ $match: { status: 'active' } }, { $count: 'active' }]).toArray()).toEqual([{ active: 3 }]);
        expect(await partnerships.aggregate([{ $match: { _id: 'p2' } }, { $project: { _id: 1 } }]).toArray()).toEqual([{ _id: 'p2' }]);
      });
    });

    describe('update operators', () => {
      const timelines = () => store.collection<Timeline>('timelines');

      beforeEach(async () => {
        await timelines().insertOne({
          _id: 't1',
          name: 'A',
          counts: { reports: 1 },
          themes: ['water'],
          tags: ['a', 'b', 'a'],
          partners: [{ orgId: 'o1' }, { orgId: 'o2' }],
          lastPosition: 5,
          firstPosition: 5,
          obsolete: true,
        });
      });

      it('given a document, when every operator of the subset is applied at once, then each field changes as in MongoDB', async () => {
        // when
        const result = await timelines().updateOne(
          { _id: 't1' },
          {
            $set: { name: 'B', 'details.scope': 'global' },
            $inc: { 'counts.reports': 2, 'counts.amendments': 1 },
            $push: { history: { $each: [{ at: 6 }, { at: 7 }] } },
            $pull: { partners: { orgId: 'o1' }, tags: 'a' },
            $addToSet: { themes: { $each: ['water', 'energy'] } },
            $unset: { obsolete: '' },
            $max: { lastPosition: 9 },
            $min: { firstPosition: 3 },
          },
        );

        // then
        expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
        expect(await timelines().findOne({ _id: 't1' })).toEqual({
          _id: 't1',
          name: 'B',
          details: { scope: 'global' },
          counts: { reports: 3, amendments: 1 },
          history: [{ at: 6 }, { at: 7 }],
          partners: [{ orgId: 'o2' }],
          tags: ['b'],
          themes: ['water', 'energy'],
          lastPosition: 9,
          firstPosition: 3,
        });
      });

      it('given a document, when operators would not change it, then it matches but is not modified', async () => {
        // when
        const result = await timelines().updateOne(
          { _id: 't1' },
          { $max: { lastPosition: 1 }, $min: { firstPosition: 10 }, $addToSet: { themes: 'water' }, $set: { name: 'A' }, $unset: { missing: '' } },
        );

        // then
        expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
      });

      it('given missing fields, when $push, $addToSet with $each, $inc, $max and $min name them, then they are created', async () => {
        // when
        await timelines().updateOne(
          { _id: 't1' },
          { $push: { events: 'e1' }, $addToSet: { regions: { $each: ['africa', 'asia', 'africa'] } }, $inc: { 'stats.views': 4 }, $max: { high: 2 }, $min: { low: 7 } },
        );

        // then
        expect(await timelines().findOne({ _id: 't1' }, { projection: { events: 1, regions: 1, stats: 1, high: 1, low: 1 } })).toEqual({
          _id: 't1',
          events: ['e1'],
          regions: ['africa', 'asia'],
          stats: { views: 4 },
          high: 2,
          low: 7,
        });
      });

      it('given fields of the wrong type, when an operator needs another type, then the update is refused with MongoDB\'s code and changes nothing', async () => {
        await expect(timelines().updateOne({ _id: 't1' }, untyped({ $inc: { name: 1 } }))).rejects.toMatchObject({ code: 14 });
        await expect(timelines().updateOne({ _id: 't1' }, untyped({ $push: { name: 'x' } }))).rejects.toMatchObject({ code: 2 });
        await expect(timelines().updateOne({ _id: 't1' }, { $set: { 'name.first': 'x', lastPosition: 99 } })).rejects.toMatchObject({ code: 28 });
        expect(await timelines().findOne({ _id: 't1' })).toMatchObject({ name: 'A', lastPosition: 5 });
      });

      it('given no matching document, when upserting, then the filter\'s equality fields, the update and $setOnInsert make the new one', async () => {
        // when
        const inserted = await timelines().updateOne(
          { _id: 't9', status: 'active', lastPosition: { $lt: 10 } },
          { $set: { name: 'New' }, $setOnInsert: { createdAt: '2006-01-01' }, $inc: { eventCount: 1 } },
          { upsert: true },
        );
        const updated = await timelines().updateOne(
          { _id: 't9' },
          { $set: { name: 'Newer' }, $setOnInsert: { createdAt: '2099-01-01' }, $inc: { eventCount: 1 } },
          { upsert: true },
        );

        // then
        expect(inserted).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 't9' });
        expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
        expect(await timelines().findOne({ _id: 't9' })).toEqual({ _id: 't9', status: 'active', name: 'Newer', createdAt: '2006-01-01', eventCount: 2 });
      });

      it('given a filter without _id, when upserting, then the new document gets a generated _id', async () => {
        // when
        const result = await timelines().updateOne({ 'org.id': 'o9' }, { $set: { name: 'X' } }, { upsert: true });

        // then
        expect(result.upsertedId).toBeTruthy();
        expect(await timelines().findOne({ _id: result.upsertedId! })).toMatchObject({ org: { id: 'o9' }, name: 'X' });
      });

      it('given several documents, when updating many, then each match is updated', async () => {
        // given
        await seed();

        // when
        const result = await partnerships.updateMany({ status: 'active' }, { $set: { reviewed: true }, $push: { log: { $each: [{ by: 'x' }] } } });
        await partnerships.updateOne({ _id: 'p1' }, { $set: { 'log.0.by': 'y' } });

        // then: the pushed values are not shared between documents
        expect(result).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
        expect(await partnerships.countDocuments({ reviewed: true })).toBe(3);
        expect(await partnerships.countDocuments({ 'log.by': 'x' })).toBe(2);
      });

      it('given an update without operators, then it is refused', async () => {
        await expect(timelines().updateOne({ _id: 't1' }, untyped({ name: 'B' }))).rejects.toThrow('atomic operators');
      });
    });

    describe('inserting, replacing and deleting', () => {
      it('given a document without _id, when inserted, then an _id is generated and returned', async () => {
        // when
        const { insertedId } = await store.collection('audit').insertOne({ event: 'e1' });

        // then
        expect(insertedId).toBeTruthy();
        expect(await store.collection('audit').findOne({ _id: insertedId })).toMatchObject({ event: 'e1' });
      });

      it('given documents, when inserted together, then each id is returned by position', async () => {
        expect(await seed()).toMatchObject({ insertedCount: 4, insertedIds: { 0: 'p1', 1: 'p2', 2: 'p3', 3: 'p4' } });
      });

      it('given a stored _id, when inserted again, then E11000 is thrown and the stored document stays', async () => {
        // given
        await seed();

        // when
        const attempt = partnerships.insertOne({ ...PARTNERSHIPS[0], name: 'Other' });

        // then
        await expect(attempt).rejects.toMatchObject({ code: 11000 });
        await attempt.catch((error) => expect(isDuplicateKeyError(error)).toBe(true));
        expect(await partnerships.findOne({ _id: 'p1' })).toEqual(PARTNERSHIPS[0]);
      });

      it('given a document, when replaced, then only the replacement\'s fields remain, under the same _id', async () => {
        // given
        await seed();

        // when
        const replaced = await partnerships.replaceOne({ name: 'Solar Villages' }, { ...withoutId(PARTNERSHIPS[1]), name: 'Solar Towns' });
        const same = await partnerships.replaceOne({ _id: 'p2' }, { ...withoutId(PARTNERSHIPS[1]), name: 'Solar Towns' });
        const upserted = await partnerships.replaceOne({ _id: 'p7' }, withoutId(PARTNERSHIPS[3]), { upsert: true });
        const missing = await partnerships.replaceOne({ _id: 'p8' }, withoutId(PARTNERSHIPS[3]));

        // then
        expect(replaced).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
        expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
        expect(upserted).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 'p7' });
        expect(missing).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
        expect(await partnerships.findOne({ _id: 'p2' })).toEqual({ ...PARTNERSHIPS[1], name: 'Solar Towns' });
        expect(await partnerships.findOne({ _id: 'p7' })).toEqual({ ...PARTNERSHIPS[3], _id: 'p7' });
      });

      it('given a document, when a replacement changes its _id, then it is refused', async () => {
        await seed();
        const replacement = { ...PARTNERSHIPS[0], _id: 'p99' } as WithoutId<Partnership>;
        await expect(partnerships.replaceOne({ _id: 'p1' }, replacement)).rejects.toMatchObject({ code: 66 });
        expect(await partnerships.countDocuments({ _id: 'p99' })).toBe(0);
      });

      it('given partnerships, when deleting one and then many, then the counts and the remaining documents follow', async () => {
        // given
        await seed();

        // when
        const one = await partnerships.deleteOne({ status: 'active' });
        const many = await partnerships.deleteMany({ status: 'active' });
        const none = await partnerships.deleteMany({ status: 'unknown' });

        // then
        expect([one.deletedCount, many.deletedCount, none.deletedCount]).toEqual([1, 2, 0]);
        expect(ids(await find({}))).toEqual(['p3']);
        expect((await partnerships.deleteMany({})).deletedCount).toBe(1);
      });

      it('given mixed operations, when written in bulk, then they apply in order and the summary counts them', async () => {
        // given
        await seed();

        // when
        const summary = await partnerships.bulkWrite([
          { insertOne: { document: { ...PARTNERSHIPS[3], _id: 'p5' } } },
          { updateOne: { filter: { _id: 'p5' }, update: { $set: { status: 'ended' } } } },
          { updateOne: { filter: { _id: 'p6' }, update: { $set: { name: 'Six' } }, upsert: true } },
          { replaceOne: { filter: { _id: 'p2' }, replacement: { ...PARTNERSHIPS[1], name: 'Two' } } },
          { updateMany: { filter: { status: 'ended' }, update: { $inc: { reviews: 1 } } } },
          { deleteOne: { filter: { _id: 'p3' } } },
          { deleteMany: { filter: { status: 'unknown' } } },
        ]);

        // then
        expect(summary).toMatchObject({
          insertedCount: 1,
          matchedCount: 4,
          modifiedCount: 4,
          deletedCount: 1,
          upsertedCount: 1,
          insertedIds: { 0: 'p5' },
          upsertedIds: { 2: 'p6' },
        });
        expect(ids(await find({}))).toEqual(['p1', 'p2', 'p4', 'p5', 'p6']);
        expect(await partnerships.findOne({ _id: 'p5' })).toMatchObject({ status: 'ended', reviews: 1 });
        expect(await partnerships.findOne({ _id: 'p6' })).toEqual({ _id: 'p6', name: 'Six' });
      });

      it('given no operations, when written in bulk, then the call is refused', async () => {
        await expect(partnerships.bulkWrite([])).rejects.toThrow('Batch cannot be empty');
      });
    });

    describe('unique indexes', () => {
      const organisations = () => store.collection('organisations');

      it('given a unique index, when a document repeats its key by insert, update or upsert, then E11000 is thrown and nothing changes', async () => {
        // given
        expect(await organisations().createIndex({ code: 1 }, { unique: true })).toBe('code_1');
        await organisations().insertMany([
          { _id: 'o1', code: 'UNEP' },
          { _id: 'o2', code: 'WHO' },
        ]);

        // when / then
        await expect(organisations().insertOne({ _id: 'o3', code: 'UNEP' })).rejects.toMatchObject({ code: 11000 });
        await expect(organisations().updateOne({ _id: 'o2' }, { $set: { code: 'UNEP' } })).rejects.toMatchObject({ code: 11000 });
        await expect(organisations().updateOne({ _id: 'o4' }, { $set: { code: 'WHO' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
        expect(await organisations().find({}, { sort: { _id: 1 } }).toArray()).toEqual([
          { _id: 'o1', code: 'UNEP' },
          { _id: 'o2', code: 'WHO' },
        ]);

        // and a key freed by an update can be taken
        await organisations().updateOne({ _id: 'o2' }, { $set: { code: 'WHO-2' } });
        await organisations().insertOne({ _id: 'o3', code: 'WHO' });
        expect(await organisations().countDocuments()).toBe(3);
      });

      it('given a compound unique index, then only the same pair is a duplicate, and a missing field counts as null', async () => {
        // given
        expect(await store.collection('reports').createIndex({ partnershipId: 1, reportId: 1 }, { unique: true, name: 'report' })).toBe('report');
        await store.collection('reports').insertMany([
          { _id: 1, partnershipId: 'p1', reportId: 'r1' },
          { _id: 2, partnershipId: 'p1', reportId: 'r2' },
          { _id: 3, partnershipId: 'p2', reportId: 'r1' },
          { _id: 4, partnershipId: 'p3' },
        ]);

        // when / then
        await expect(store.collection('reports').insertOne({ _id: 5, partnershipId: 'p1', reportId: 'r2' })).rejects.toMatchObject({ code: 11000 });
        await expect(store.collection('reports').insertOne({ _id: 6, partnershipId: 'p3', reportId: null })).rejects.toMatchObject({ code: 11000 });
        expect(await store.collection('reports').countDocuments()).toBe(4);
      });

      it('given documents that repeat a key, when a unique index is created on it, then it is refused and not created', async () => {
        // given
        await organisations().insertMany([
          { _id: 'o1', code: 'UNEP' },
          { _id: 'o2', code: 'UNEP' },
        ]);

        // when / then
        await expect(organisations().createIndex({ code: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
        await organisations().insertOne({ _id: 'o3', code: 'UNEP' });
      });

      it('given an index, when it is created again with the same keys and options, then its name comes back', async () => {
        expect(await organisations().createIndex({ type: 1, name: -1 })).toBe('type_1_name_-1');
        expect(await organisations().createIndex({ type: 1, name: -1 })).toBe('type_1_name_-1');
        expect(await organisations().createIndex({ code: 1 }, { unique: true, name: 'by_code' })).toBe('by_code');
        expect(await organisations().createIndex({ code: 1 }, { unique: true, name: 'by_code' })).toBe('by_code');
      });
    });

    describe('committing', () => {
      it('given writes to several collections, when committed, then all are applied in order', async () => {
        // when
        await store.commit([
          {
            collection: 'partnerships',
            operations: [
              { replaceOne: { filter: { _id: 'p1' }, replacement: PARTNERSHIPS[0], upsert: true } },
              { updateOne: { filter: { _id: 'p1' }, update: { $set: { status: 'ended' }, $inc: { version: 1 } } } },
            ],
          },
          { collection: 'audit', operations: [] },
          {
            collection: 'checkpoints',
            operations: [{ updateOne: { filter: { _id: 'partnerships' }, update: { $set: { position: 42 } }, upsert: true } }],
          },
        ]);

        // then
        expect(await partnerships.findOne({ _id: 'p1' })).toEqual({ ...PARTNERSHIPS[0], status: 'ended', version: 1 });
        expect(await store.collection('checkpoints').findOne({ _id: 'partnerships' })).toEqual({ _id: 'partnerships', position: 42 });
      });
    });

    describe('collections', () => {
      it('given written collections, when listing, dropping and dropping again, then the list follows and the second drop does nothing', async () => {
        // given
        await seed();
        await store.collection('timelines').insertOne({ _id: 't1' });
        await store.collection('trends').createIndex({ period: 1 });

        // when / then
        expect((await store.listCollections()).sort()).toEqual(['partnerships', 'timelines', 'trends']);
        await store.dropCollection('timelines');
        await store.dropCollection('timelines');
        expect((await store.listCollections()).sort()).toEqual(['partnerships', 'trends']);
        expect(await store.collection('timelines').countDocuments()).toBe(0);
      });

      it('given a rebuilt projection, when renamed over the live one with dropTarget, then it replaces it with its indexes', async () => {
        // given
        await seed();
        const rebuilt = store.collection('partnerships_rebuild');
        await rebuilt.createIndex({ name: 1 }, { unique: true });
        await rebuilt.insertOne({ _id: 'p1', name: 'Rebuilt' });

        // when
        await store.renameCollection('partnerships_rebuild', 'partnerships', { dropTarget: true });

        // then
        expect(await partnerships.find().toArray()).toEqual([{ _id: 'p1', name: 'Rebuilt' }]);
        expect((await store.listCollections()).sort()).toEqual(['partnerships']);
        await expect(store.collection('partnerships').insertOne({ _id: 'p2', name: 'Rebuilt' })).rejects.toMatchObject({ code: 11000 });
      });

      it('given an existing target, when renaming without dropTarget, then it is refused and both stay', async () => {
        // given
        await seed();
        await store.collection('partnerships_rebuild').insertOne({ _id: 'p1', name: 'Rebuilt' });

        // when / then
        await expect(store.renameCollection('partnerships_rebuild', 'partnerships')).rejects.toMatchObject({ code: 48 });
        await expect(store.renameCollection('missing', 'elsewhere')).rejects.toMatchObject({ code: 26 });
        expect(await partnerships.countDocuments()).toBe(4);
        expect(await store.collection('partnerships_rebuild').countDocuments()).toBe(1);
      });
    });

    describe('durability and copies', () => {
      it('given documents and indexes, when the store is reopened, then they are all there', async () => {
        // given
        await seed();
        await partnerships.createIndex({ name: 1 }, { unique: true });
        await store.collection('checkpoints').insertOne({ _id: 'partnerships', position: 7 });

        // when
        const reopened = await fixture.reopen();

        // then
        const collection = reopened.collection<Partnership>('partnerships');
        expect(await collection.find({}, { sort: { _id: 1 } }).toArray()).toEqual(PARTNERSHIPS);
        expect(await reopened.collection('checkpoints').findOne({ _id: 'partnerships' })).toEqual({ _id: 'partnerships', position: 7 });
        expect((await reopened.listCollections()).sort()).toEqual(['checkpoints', 'partnerships']);
        await expect(collection.insertOne({ ...PARTNERSHIPS[0], _id: 'p9' })).rejects.toMatchObject({ code: 11000 });
      });

      it('given returned and inserted documents, when the caller mutates them, then the stored documents do not change', async () => {
        // given
        const document = structuredClone(PARTNERSHIPS[0]);
        await partnerships.insertOne(document);
        document.partners[0].lead = false;

        // when
        const [found] = await partnerships.find({ _id: 'p1' }).toArray();
        found.themes.push('mutated');
        const one = await partnerships.findOne({ _id: 'p1' });
        one!.partners.pop();
        const [aggregated] = await partnerships.aggregate<Partnership>([{ $match: { _id: 'p1' } }]).toArray();
        aggregated.resources!.amount = 0;
        const [projected] = await partnerships.find({ _id: 'p1' }, { projection: { resources: 1 } }).toArray();
        projected.resources!.amount = -1;

        // then
        expect(await partnerships.findOne({ _id: 'p1' })).toEqual(PARTNERSHIPS[0]);
      });
    });
  });
}
