import type { BulkOperation, CollectionWrite, ReadStore } from '@registry/read-store';
import type { ProjectionDocument, ProjectionDocuments } from './projection';

/** The field each stored document carries: the global position of the last event that changed it. */
export const POSITION_FIELD = '_position';

interface Entry {
  /** The projection's view of the document (without `_position`); null when absent or deleted. */
  document: ProjectionDocument | null;
  /** `_position` of the stored document when it was read; 0 when it was not read or is absent. */
  storedPosition: number;
  /** Position of the event that last put or deleted it in this batch; undefined when unchanged. */
  changedAt?: number;
}

/**
 * The unit of work of one batch, over the read store. `get` reads through a cache (the first read
 * of a document goes to the store, later ones see what the batch put), `put`/`delete` only record,
 * and `writes` turns the changes into bulk writes for the runtime to commit with the checkpoint.
 * Documents are handed over, not copied: what `get` returns belongs to the projection until it
 * puts it back, and must not be changed after that.
 *
 * A change is ignored when the stored document already reflects the event making it (its
 * `_position` is at or past the event's): that only happens on MongoDB, whose commits are not
 * atomic, when a batch whose documents were partly written before a crash is applied again from
 * the checkpoint. The document then goes on from its stored state, so nothing counts twice.
 */
export class BatchDocuments implements ProjectionDocuments {
  private readonly entries = new Map<string, Map<string, Entry>>();
  /** Global position of the event being applied; the runtime sets it before each `apply`. */
  position = 0;

  constructor(
    private readonly readStore: ReadStore,
    /** Logical collection name → physical name of the collections this batch writes. */
    private readonly physical: ReadonlyMap<string, string>,
  ) {}

  async get<T extends ProjectionDocument>(collection: string, id: string): Promise<T | null> {
    const entries = this.collectionEntries(collection);
    let entry = entries.get(id);
    if (!entry) {
      const stored = await this.readStore.collection<ProjectionDocument>(this.physicalName(collection)).findOne({ _id: id });
      // Another `get` of the same id may have filled the cache while this one awaited the store.
      entry = entries.get(id) ?? this.cache(entries, id, stored);
    }
    // No copy: the store already handed the cache its own copy, and the projection changes a
    // document only to put it back (copying every document twice per event was a tenth of the
    // API's CPU under load). A later `get` in the batch returns the same object.
    return entry.document as T | null;
  }

  put<T extends ProjectionDocument>(collection: string, document: T): void {
    this.change(collection, document._id, document);
  }

  delete(collection: string, id: string): void {
    this.change(collection, id, null);
  }

  /**
   * The recorded changes as bulk writes, one `CollectionWrite` per collection. `guarded` makes
   * each write conditional on the stored document being older than the change (MongoDB: a write
   * whose upsert then fails with a duplicate key was already applied).
   */
  writes(guarded: boolean): CollectionWrite[] {
    const writes: CollectionWrite[] = [];
    // In the order the projection declares its collections: a store without transactions
    // (MongoDB) writes them one after the other, and a projection may need one written first.
    for (const collection of this.physical.keys()) {
      const entries = this.entries.get(collection);
      if (!entries) continue;
      const operations: BulkOperation[] = [];
      for (const [_id, { document, changedAt }] of entries) {
        if (changedAt === undefined) continue;
        const filter = guarded ? { _id, [POSITION_FIELD]: { $lt: changedAt } } : { _id };
        if (document === null) {
          operations.push({ deleteOne: { filter } });
        } else {
          const { _id: _, ...fields } = document;
          operations.push({ replaceOne: { filter, replacement: { ...fields, [POSITION_FIELD]: changedAt }, upsert: true } });
        }
      }
      if (operations.length > 0) writes.push({ collection: this.physicalName(collection), operations });
    }
    return writes;
  }

  private change(collection: string, id: string, document: ProjectionDocument | null): void {
    const entries = this.collectionEntries(collection);
    const entry = entries.get(id);
    if (entry && entry.storedPosition >= this.position) return; // already in the stored document (see above)
    entries.set(id, { document, storedPosition: entry?.storedPosition ?? 0, changedAt: this.position });
  }

  private cache(entries: Map<string, Entry>, id: string, stored: ProjectionDocument | null): Entry {
    let entry: Entry = { document: null, storedPosition: 0 };
    if (stored) {
      const { [POSITION_FIELD]: storedPosition, ...document } = stored;
      entry = { document: document as ProjectionDocument, storedPosition: typeof storedPosition === 'number' ? storedPosition : 0 };
    }
    entries.set(id, entry);
    return entry;
  }

  private collectionEntries(collection: string): Map<string, Entry> {
    this.physicalName(collection);
    let entries = this.entries.get(collection);
    if (!entries) this.entries.set(collection, (entries = new Map()));
    return entries;
  }

  private physicalName(collection: string): string {
    const name = this.physical.get(collection);
    if (!name) throw new Error(`collection "${collection}" is not declared by the projection`);
    return name;
  }
}
