import { Query } from 'mingo';
import type { CreateIndexOptions, Document, DocumentId, IndexKeys } from '../read-store.port';
import { ErrorCode, MongoCompatibleError } from './errors';
import { isDocumentId, type StoredDocument } from './json-documents';
import { resolve } from './mingo';

export interface IndexDefinition {
  name: string;
  key: IndexKeys;
  unique: boolean;
}

export function indexDefinition(key: IndexKeys, options: CreateIndexOptions = {}): IndexDefinition {
  const name = options.name ?? Object.entries(key).map(([field, direction]) => `${field}_${direction}`).join('_');
  return { name, key: { ...key }, unique: options.unique ?? false };
}

/**
 * The documents of one collection, in memory, by `_id`, with its indexes. Unique indexes keep a
 * map from key to `_id` to refuse duplicates; the others are only declared (a scan of a few
 * thousand documents in memory is fast enough). Writes check before they change anything. A
 * stored document is never changed in place, only replaced: one handed over by a projector may
 * share parts with another (the event they both came from).
 */
export class StoredCollection {
  readonly documents = new Map<DocumentId, StoredDocument>();
  private readonly indexes = new Map<string, IndexDefinition>();
  private uniqueIndexes: UniqueIndex[] = [];

  constructor(public name: string) {}

  /** Created by a first write or index, as in MongoDB; unlike there, emptying it of both removes it. */
  get exists(): boolean {
    return this.documents.size > 0 || this.indexes.size > 0;
  }

  get indexDefinitions(): IndexDefinition[] {
    return [...this.indexes.values()];
  }

  /** Stored documents (not copies) matching `filter`, in insertion order, at most `limit`. */
  matching(filter: Document, limit = Infinity): StoredDocument[] {
    const ids = candidateIds(filter);
    const candidates = ids ? ids.flatMap((id) => this.documents.get(id) ?? []) : this.documents.values();
    const fields = Object.keys(filter);
    const matchesAll = fields.length === 0 || (fields.length === 1 && isDocumentId(filter._id));
    const query = matchesAll ? undefined : new Query(filter);
    const found: StoredDocument[] = [];
    for (const document of candidates) {
      if (found.length >= limit) break;
      if (!query || query.test(document)) found.push(document);
    }
    return found;
  }

  insert(document: StoredDocument): void {
    if (this.documents.has(document._id)) throw duplicateKey(this.name, '_id_', ['_id'], [document._id]);
    this.reindex(document._id, [], this.uniqueKeys(document));
    this.documents.set(document._id, document);
  }

  replace(current: StoredDocument, replacement: StoredDocument): void {
    this.reindex(current._id, this.uniqueKeys(current), this.uniqueKeys(replacement));
    this.documents.set(current._id, replacement);
  }

  remove(document: StoredDocument): void {
    this.reindex(document._id, this.uniqueKeys(document), []);
    this.documents.delete(document._id);
  }

  /** True when this very index exists; throws when another index has its name or its keys. */
  hasIndex(definition: IndexDefinition): boolean {
    const sameKeys = (other: IndexDefinition) => JSON.stringify(Object.entries(other.key)) === JSON.stringify(Object.entries(definition.key));
    const named = this.indexes.get(definition.name);
    if (named && sameKeys(named) && named.unique === definition.unique) return true;
    const conflicting = named ?? this.indexDefinitions.find(sameKeys);
    if (conflicting) {
      throw new MongoCompatibleError(
        `An index ${conflicting.name} ${JSON.stringify(conflicting.key)} already exists with other options than ${definition.name}`,
        ErrorCode.IndexOptionsConflict,
      );
    }
    return false;
  }

  /** Adds an index; a unique one over documents that repeat a key throws E11000 and is not added. */
  addIndex(definition: IndexDefinition): void {
    if (definition.unique) {
      const index = new UniqueIndex(this.name, definition);
      for (const document of this.documents.values()) {
        const keys = index.keysOf(document);
        index.assertFree(document._id, keys);
        index.add(document._id, keys);
      }
      this.uniqueIndexes.push(index);
    }
    this.indexes.set(definition.name, definition);
  }

  /** Recomputes the unique indexes from the documents, after touched documents were restored. */
  rebuildIndexes(): void {
    const definitions = this.indexDefinitions;
    this.indexes.clear();
    this.uniqueIndexes = [];
    for (const definition of definitions) this.addIndex(definition);
  }

  private uniqueKeys(document: StoredDocument): string[][] {
    return this.uniqueIndexes.map((index) => index.keysOf(document));
  }

  /**
   * Moves a document's keys from `before` to `after` (one list per unique index; none for an
   * insert or a removal), checking every index before changing any.
   */
  private reindex(id: DocumentId, before: string[][], after: string[][]): void {
    this.uniqueIndexes.forEach((index, i) => index.assertFree(id, after[i] ?? []));
    this.uniqueIndexes.forEach((index, i) => {
      index.remove(id, before[i] ?? []);
      index.add(id, after[i] ?? []);
    });
  }
}

/** A unique index: each key (the JSON of the indexed values) belongs to one document. */
class UniqueIndex {
  private readonly owners = new Map<string, DocumentId>();
  private readonly fields: string[];

  constructor(
    private readonly collection: string,
    private readonly definition: IndexDefinition,
  ) {
    this.fields = Object.keys(definition.key);
  }

  /**
   * The keys MongoDB indexes a document under: a missing field counts as null, an array field
   * gives one key per element (a multikey index), compound keys combine them.
   */
  keysOf(document: StoredDocument): string[] {
    let tuples: unknown[][] = [[]];
    for (const field of this.fields) {
      const value = resolve(document, field);
      const values = Array.isArray(value) && value.length > 0 ? value : [value ?? null];
      tuples = tuples.flatMap((tuple) => values.map((element) => [...tuple, element]));
    }
    return [...new Set(tuples.map((tuple) => JSON.stringify(tuple)))];
  }

  assertFree(id: DocumentId, keys: string[]): void {
    for (const key of keys) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== id) throw duplicateKey(this.collection, this.definition.name, this.fields, JSON.parse(key));
    }
  }

  add(id: DocumentId, keys: string[]): void {
    for (const key of keys) this.owners.set(key, id);
  }

  remove(id: DocumentId, keys: string[]): void {
    for (const key of keys) if (this.owners.get(key) === id) this.owners.delete(key);
  }
}

/** MongoDB's E11000 error, worded as the server words it. */
function duplicateKey(collection: string, index: string, fields: string[], values: unknown[]): MongoCompatibleError {
  const key = fields.map((field, i) => `${field}: ${JSON.stringify(values[i])}`).join(', ');
  return new MongoCompatibleError(`E11000 duplicate key error collection: ${collection} index: ${index} dup key: { ${key} }`, ErrorCode.DuplicateKey);
}

/** The ids a filter restricts `_id` to (`{_id: v}`, `{_id: {$eq: v}}`, `{_id: {$in: [...]}}`), or undefined. */
function candidateIds(filter: Document): DocumentId[] | undefined {
  const condition: unknown = filter._id;
  if (isDocumentId(condition)) return [condition];
  if (typeof condition !== 'object' || condition === null) return undefined;
  const operators = Object.keys(condition);
  if (operators.length !== 1) return undefined;
  const { $eq, $in } = condition as { $eq?: unknown; $in?: unknown };
  if (isDocumentId($eq)) return [$eq];
  if (Array.isArray($in) && $in.every(isDocumentId)) return [...new Set($in)];
  return undefined;
}
