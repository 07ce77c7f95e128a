import type { BulkOperation, BulkWriteSummary, Document, DocumentId, ReadStoreUpdate, UpsertOption } from '../read-store.port';
import { ErrorCode, MongoCompatibleError } from './errors';
import { copyJson, isDocumentId, jsonText, type StoredDocument, toStoredDocument } from './json-documents';
import type { StoredCollection } from './stored-collection';
import { applyUpdate, assertReplacement, assertUpdateDocument, filterId, upsertDocument } from './update';

/**
 * Applies bulk write operations in order to the collection, stopping at the first error; the
 * documents they change wait in the collection's `pending` for the store to save them, or to
 * restore what the file holds when an operation fails. `handOver`: the caller will not change
 * the documents it writes (see `CommitOptions`).
 */
export function applyBulkWrite(collection: StoredCollection, operations: readonly BulkOperation[], handOver = false): BulkWriteSummary {
  const writer = new BulkWriter(collection, handOver);
  operations.forEach((operation, index) => writer.apply(operation, index));
  return writer.summary;
}

type UpdateOperation = { filter: Document; update: ReadStoreUpdate } & UpsertOption;
type ReplaceOperation = { filter: Document; replacement: Document } & UpsertOption;

class BulkWriter {
  readonly summary: { -readonly [K in keyof BulkWriteSummary]: BulkWriteSummary[K] } = {
    insertedCount: 0,
    matchedCount: 0,
    modifiedCount: 0,
    deletedCount: 0,
    upsertedCount: 0,
    insertedIds: {},
    upsertedIds: {},
  };

  constructor(
    private readonly collection: StoredCollection,
    private readonly handOver: boolean,
  ) {}

  apply(operation: BulkOperation, index: number): void {
    if ('insertOne' in operation) {
      this.summary.insertedIds[index] = this.insert(toStoredDocument(operation.insertOne.document, undefined, this.handOver));
      this.summary.insertedCount++;
    } else if ('updateOne' in operation) {
      this.update(index, operation.updateOne, 1);
    } else if ('updateMany' in operation) {
      this.update(index, operation.updateMany, Infinity);
    } else if ('replaceOne' in operation) {
      this.replace(index, operation.replaceOne);
    } else if ('deleteOne' in operation) {
      this.remove(operation.deleteOne.filter, 1);
    } else if ('deleteMany' in operation) {
      this.remove(operation.deleteMany.filter, Infinity);
    } else {
      throw new Error(`Operation must be an object with an operation key: ${JSON.stringify(operation)}`); // as the driver says
    }
  }

  private insert(document: StoredDocument): DocumentId {
    this.collection.insert(document);
    return document._id;
  }

  private upsert(index: number, document: StoredDocument): void {
    this.summary.upsertedIds[index] = this.insert(document);
    this.summary.upsertedCount++;
  }

  private update(index: number, { filter, update, upsert }: UpdateOperation, limit: number): void {
    assertUpdateDocument(update);
    const matches = this.collection.find(filter, { limit });
    if (matches.length === 0 && upsert) return this.upsert(index, upsertDocument(filter, update));
    this.summary.matchedCount += matches.length;
    for (const document of matches) {
      // On a copy: stored documents are never changed in place, as handed-over ones may share parts.
      const updated = copyJson(document);
      if (!applyUpdate(updated, update, false)) continue;
      this.collection.replace(document._id, updated);
      this.summary.modifiedCount++;
    }
  }

  private replace(index: number, { filter, replacement, upsert }: ReplaceOperation): void {
    assertReplacement(replacement);
    if (this.handOver && isIdFilter(filter)) return this.replaceHandedOver(index, filter._id, replacement, upsert);
    const [current] = this.collection.find(filter, { limit: 1 });
    if (!current) {
      if (upsert) this.upsert(index, toStoredDocument(replacement, replacement._id ?? filterId(filter), this.handOver));
      return;
    }
    this.summary.matchedCount++;
    if (replacement._id !== undefined && replacement._id !== current._id) throw immutableId(replacement._id);
    const next = toStoredDocument(replacement, current._id, this.handOver);
    if (jsonText(next) === JSON.stringify(current)) return; // the same document, field order included
    this.collection.replace(current._id, next);
    this.summary.modifiedCount++;
  }

  /**
   * A handed-over replacement by `_id` (a projector's batch: `commit` reports no summary) does not
   * read the current document, which a rebuild would mostly have to load from the file, only to
   * tell an unchanged replacement from a change: it is written either way.
   */
  private replaceHandedOver(index: number, id: DocumentId, replacement: Document, upsert: boolean | undefined): void {
    if (!this.collection.has(id)) {
      if (upsert) this.upsert(index, toStoredDocument(replacement, replacement._id ?? id, true));
      return;
    }
    if (replacement._id !== undefined && replacement._id !== id) throw immutableId(replacement._id);
    this.collection.replace(id, toStoredDocument(replacement, id, true));
    this.summary.matchedCount++;
    this.summary.modifiedCount++;
  }

  private remove(filter: Document, limit: number): void {
    for (const document of this.collection.find(filter, { limit })) {
      this.collection.remove(document);
      this.summary.deletedCount++;
    }
  }
}

/** `{_id: <a document id>}` and nothing else. */
function isIdFilter(filter: Document): filter is { _id: DocumentId } {
  for (const key in filter) if (key !== '_id') return false;
  return isDocumentId(filter._id);
}

function immutableId(id: unknown): MongoCompatibleError {
  return new MongoCompatibleError(
    `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(id)}`,
    ErrorCode.ImmutableField,
  );
}
