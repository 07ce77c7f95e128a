import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINTS } from '@registry/projector';
import { EmbeddedReadStore, isDuplicateKeyError } from '@registry/read-store';
import { commitBatch } from '../../libs/projector/src/batch-commit';
import { BatchDocuments } from '../../libs/projector/src/batch-documents';

const PHYSICAL = new Map([['things', 'things__v1']]);
const checkpoint = (position: number) => ({ collection: CHECKPOINTS, operations: [{ replaceOne: { filter: { _id: 'p' }, replacement: { position }, upsert: true } }] });

describe('the unit of work and its commit', () => {
  let directory: string;
  let readStore: EmbeddedReadStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'registry-batch-'));
    readStore = EmbeddedReadStore.open(directory);
  });

  afterEach(async () => {
    await readStore.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given puts to collections in another order than declared, then the writes come in the declared order', () => {
    // given
    const documents = new BatchDocuments(readStore, new Map([['first', 'first__v1'], ['second', 'second__v1']]));

    // when
    documents.position = 1;
    documents.put('second', { _id: 'b' });
    documents.put('first', { _id: 'a' });

    // then
    expect(documents.writes(true).map((write) => write.collection)).toEqual(['first__v1', 'second__v1']);
  });

  it('given a stored document, when a batch reads, changes, puts and reads it again, then it sees its own changes, without _position, and writes the last one stamped with its position', async () => {
    // given
    await readStore.collection('things__v1').insertOne({ _id: 'a', n: 1, _position: 3 });
    const documents = new BatchDocuments(readStore, PHYSICAL);

    // when
    documents.position = 4;
    const read = await documents.get<{ _id: string; n: number }>('things', 'a');
    expect(read).toEqual({ _id: 'a', n: 1 });
    documents.put('things', { ...read!, n: 2 });
    const again = await documents.get<{ _id: string; n: number }>('things', 'a');
    documents.position = 5;
    documents.put('things', { _id: 'b', n: 1 });
    documents.delete('things', 'b');
    await commitBatch(readStore, true, documents.writes(false), checkpoint(5));

    // then
    expect(again).toEqual({ _id: 'a', n: 2 });
    expect(await readStore.collection('things__v1').find({}).toArray()).toEqual([{ _id: 'a', n: 2, _position: 4 }]);
    expect(await readStore.collection(CHECKPOINTS).findOne({ _id: 'p' })).toEqual({ _id: 'p', position: 5 });
    expect(() => documents.put('undeclared', { _id: 'x' })).toThrow('collection "undeclared" is not declared by the projection');
  });

  it('given documents written ahead of the checkpoint, when the batch is replayed with guarded commits, then what they already reflect is skipped, blind writes included, and the rest is written', async () => {
    // given: 'a' already has events up to 10, 'c' up to 6
    await readStore.collection('things__v1').insertMany([{ _id: 'a', n: 10, _position: 10 }, { _id: 'c', n: 6, _position: 6 }]);
    const documents = new BatchDocuments(readStore, PHYSICAL);

    // when: events 5 to 8 again
    documents.position = 5;
    const a = await documents.get<{ _id: string; n: number }>('things', 'a');
    documents.put('things', { ...a!, n: a!.n + 1 }); // already in 'a': ignored
    documents.position = 6;
    documents.put('things', { _id: 'c', n: 600 }); // blind: only the store's guard can tell
    documents.position = 8;
    documents.put('things', { _id: 'd', n: 8 });
    await commitBatch(readStore, false, documents.writes(true), checkpoint(8));

    // then
    expect(await documents.get('things', 'a')).toEqual({ _id: 'a', n: 10 });
    expect(await readStore.collection('things__v1').find({}).toArray()).toEqual([
      { _id: 'a', n: 10, _position: 10 },
      { _id: 'c', n: 6, _position: 6 },
      { _id: 'd', n: 8, _position: 8 },
    ]);
    expect(await readStore.collection(CHECKPOINTS).findOne({ _id: 'p' })).toEqual({ _id: 'p', position: 8 });
  });

  it('given a unique index, when a guarded commit violates it, then the duplicate key is an error and the checkpoint does not move', async () => {
    // given
    await readStore.collection('things__v1').createIndex({ code: 1 }, { unique: true });
    await readStore.collection('things__v1').insertOne({ _id: 'a', code: 'x', _position: 1 });
    const documents = new BatchDocuments(readStore, PHYSICAL);

    // when
    documents.position = 2;
    documents.put('things', { _id: 'b', code: 'x' });
    const failure = await commitBatch(readStore, false, documents.writes(true), checkpoint(2)).catch((error: unknown) => error);

    // then
    expect(isDuplicateKeyError(failure)).toBe(true);
    expect(await readStore.collection(CHECKPOINTS).findOne({ _id: 'p' })).toBeNull();
  });
});
