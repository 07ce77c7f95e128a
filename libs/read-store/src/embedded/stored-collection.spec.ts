import { DocumentCache } from './document-cache';
import type { StoredDocument } from './json-documents';
import { indexDefinition, StoredCollection } from './stored-collection';

/** A collection over an in-memory "file" that counts the documents read from it. */
function collectionOverFile() {
  const file = new Map<string, string>();
  const reads: string[] = [];
  const collection = new StoredCollection(
    'audit',
    (_collection, id) => {
      reads.push(String(id));
      return file.get(String(id));
    },
    new DocumentCache(1024 * 1024),
  );
  /** What the store does with a committed write: the file gets the documents, then the collection settles. */
  const commit = () => {
    for (const [id, { document, text }] of collection.pending) {
      if (document) file.set(String(id), text);
      else file.delete(String(id));
    }
    collection.settle();
  };
  return { collection, reads, commit };
}

describe('StoredCollection and the document cache', () => {
  it('given a new document written, when it is read, then it comes from the file: a write does not fill the cache', () => {
    // given
    const { collection, reads, commit } = collectionOverFile();
    collection.insert({ _id: 'event-1', type: 'ReportFiled' } as StoredDocument);
    commit();

    // when
    const read = collection.document('event-1');

    // then
    expect(read).toEqual({ _id: 'event-1', type: 'ReportFiled' });
    expect(reads).toEqual(['event-1']);
  });

  it('given a document read, when it is replaced, then the cache holds the new version and reading it needs no file read', () => {
    // given
    const { collection, reads, commit } = collectionOverFile();
    collection.insert({ _id: 'p-1', reports: 0 } as StoredDocument);
    commit();
    collection.document('p-1'); // read once: now cached
    expect(reads).toEqual(['p-1']);

    // when
    collection.replace('p-1', { _id: 'p-1', reports: 1 } as StoredDocument);
    commit();

    // then
    expect(collection.document('p-1')).toEqual({ _id: 'p-1', reports: 1 });
    expect(reads).toEqual(['p-1']);
  });

  it('given a cached document, when it is deleted, then the cache forgets it', () => {
    // given
    const { collection, reads, commit } = collectionOverFile();
    collection.insert({ _id: 'p-1' } as StoredDocument);
    commit();
    const stored = collection.document('p-1')!;

    // when
    collection.remove(stored);
    commit();

    // then
    expect(collection.document('p-1')).toBeUndefined();
    expect(collection.has('p-1')).toBe(false);
    expect(reads).toEqual(['p-1']);
  });

  it('given indexed documents, when one is replaced with its indexed field unchanged and another with it changed, then lookups find each by its new value', () => {
    // given
    const { collection, commit } = collectionOverFile();
    collection.addIndex(indexDefinition({ status: 1 }));
    collection.insert({ _id: 'p-1', status: 'active', reports: 0 } as StoredDocument);
    collection.insert({ _id: 'p-2', status: 'active', reports: 0 } as StoredDocument);
    commit();
    expect(collection.find({ status: 'active' }).map(({ _id }) => _id)).toEqual(['p-1', 'p-2']); // builds the lookup

    // when
    collection.replace('p-1', { _id: 'p-1', status: 'active', reports: 1 } as StoredDocument);
    collection.replace('p-2', { _id: 'p-2', status: 'ended', reports: 0 } as StoredDocument);

    // then: only the changed keys are to be saved
    expect(collection.pending.get('p-1')).toMatchObject({ keysChanged: false, text: '{"_id":"p-1","status":"active","reports":1}' });
    expect(collection.pending.get('p-2')).toMatchObject({ keysChanged: true });
    commit();
    expect(collection.find({ status: 'active' })).toEqual([{ _id: 'p-1', status: 'active', reports: 1 }]);
    expect(collection.find({ status: 'ended' })).toEqual([{ _id: 'p-2', status: 'ended', reports: 0 }]);
  });

  it('given a replacement that changes an indexed field back within one write, when it fails, then restoring puts back the keys of the file', () => {
    // given
    const { collection, commit } = collectionOverFile();
    collection.addIndex(indexDefinition({ status: 1 }));
    collection.insert({ _id: 'p-1', status: 'active' } as StoredDocument);
    commit();
    collection.find({ status: 'active' });

    // when
    collection.replace('p-1', { _id: 'p-1', status: 'ended' } as StoredDocument);
    collection.replace('p-1', { _id: 'p-1', status: 'active', note: 'back' } as StoredDocument);
    expect(collection.pending.get('p-1')).toMatchObject({ keysChanged: true });
    collection.restore(() => '{"status":"active","_id":"p-1"}');

    // then
    expect(collection.find({ status: 'active' })).toEqual([{ _id: 'p-1', status: 'active' }]);
    expect(collection.find({ status: 'ended' })).toEqual([]);
  });
});
