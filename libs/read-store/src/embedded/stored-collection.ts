import { Query } from 'mingo';
import type { CreateIndexOptions, Document, DocumentId, IndexKeys, SortSpec } from '../read-store.port';
import type { DocumentCache } from './document-cache';
import { ErrorCode, MongoCompatibleError } from './errors';
import { type DocumentKeys, KeyPaths, ValueLookup } from './index-keys';
import { isDocumentId, takeJsonText, type StoredDocument } from './json-documents';
import { resolve } from './mingo';
import { candidateIds, coveredBy } from './query-plan';
import { firstSorted, sortDocuments } from './sort';

export interface IndexDefinition {
  name: string;
  key: IndexKeys;
  unique: boolean;
}

export function indexDefinition(key: IndexKeys, options: CreateIndexOptions = {}): IndexDefinition {
  const name = options.name ?? Object.entries(key).map(([field, direction]) => `${field}_${direction}`).join('_');
  return { name, key: { ...key }, unique: options.unique ?? false };
}

/** Where a collection reads the committed text of a document it does not hold. */
export type DocumentSource = (collection: string, id: DocumentId) => string | undefined;

/** A document changed by the write in progress (null: deleted), with its text and the text of its keys (see `keysText`). */
export interface PendingDocument {
  document: StoredDocument | null;
  /** The JSON text to save ('' when deleted); it is not kept once saved (see `settle`). */
  text: string;
  keysText: string;
  /**
   * Whether the file's keys of this document may differ from `keysText`, so that they must be
   * saved: most updates leave the indexed fields as they were (a checkpoint has only its `_id`).
   */
  keysChanged: boolean;
}

export interface Selection {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
}

/** How to read what a filter matches. */
interface Plan {
  /** The candidates' keys: narrowed by `_id` and the lookups, already tested when `covered`. */
  keys: Iterable<DocumentKeys>;
  /** Whether the keys decide the filter, so that the documents need no test. */
  covered: boolean;
  /** Whether to cache the documents read: not when scanning the whole collection. */
  cache: boolean;
  matches(document: StoredDocument): boolean;
}

let collectionCount = 0;

/**
 * One collection of the embedded store. The documents are in the SQLite file; in memory are
 * every document's keys (`_id` and the fields its indexes name, see `DocumentKeys`), the unique
 * indexes, and an equality lookup on the first field of each index, built when a read first
 * needs it. Documents are read through the shared `DocumentCache`.
 *
 * A read is planned on the keys: the lookups (and `_id`) narrow the candidates, a filter on
 * indexed fields only is evaluated on the keys, and a sort on indexed fields orders the keys, so
 * that only the documents returned are read (and tested against the rest of the filter). Any
 * other read tests the candidates' documents one by one, without caching those of a whole scan.
 *
 * A write (see `EmbeddedReadStore`) changes the keys and indexes at once, checking unique indexes
 * before it changes anything, and keeps its documents in `pending` until its transaction commits
 * (`settle`) or fails (`restore`). A stored document is never changed in place, only replaced:
 * one handed over by a projector may share parts with another (the event they both came from).
 */
export class StoredCollection {
  /** The documents the write in progress changed, by `_id`. */
  readonly pending = new Map<DocumentId, PendingDocument>();
  private readonly keys = new Map<DocumentId, DocumentKeys>();
  private readonly indexes = new Map<string, IndexDefinition>();
  private paths = new KeyPaths([]);
  /** Lookups built so far, by path; any path that is the first field of an index may have one. */
  private readonly lookups = new Map<string, ValueLookup>();
  private uniqueIndexes: UniqueIndex[] = [];
  /** Prefix of this collection's cache keys; it stays with the collection through a rename. */
  private readonly cacheId = `${++collectionCount}:`;

  constructor(
    public name: string,
    private readonly source: DocumentSource,
    private readonly cache: DocumentCache,
  ) {}

  /** Created by a first write or index, as in MongoDB; unlike there, emptying it of both removes it. */
  get exists(): boolean {
    return this.keys.size > 0 || this.indexes.size > 0;
  }

  get indexDefinitions(): IndexDefinition[] {
    return [...this.indexes.values()];
  }

  /**
   * Matching stored documents (not copies) in order: sorted, else in insertion order. A sort on
   * indexed fields orders the keys, and only the documents returned (and, when the keys do not
   * decide the filter, those tested on the way) are read.
   */
  find(filter: Document, { sort, skip = 0, limit = Infinity }: Selection = {}): StoredDocument[] {
    const plan = this.plan(filter);
    const wanted = skip + limit;
    if (sort && !Object.keys(sort).every((path) => this.paths.covers(path))) {
      return firstSorted(this.matching(plan.keys, plan), sort, wanted).slice(skip);
    }
    let keys = plan.keys;
    if (sort) keys = plan.covered ? firstSorted(keys, sort, wanted) : sortDocuments([...keys], sort);
    // When the keys decide the filter, the skipped documents are not even read.
    if (plan.covered) return [...take(this.matching(drop(keys, skip), plan), limit)];
    return [...take(drop(this.matching(keys, plan), skip), limit)];
  }

  count(filter: Document): number {
    const plan = this.plan(filter);
    if (plan.covered) return Array.isArray(plan.keys) ? plan.keys.length : this.keys.size; // else the whole collection
    let count = 0;
    for (const _ of this.matching(plan.keys, plan)) count++;
    return count;
  }

  /** The document with this `_id`, as the write in progress left it. */
  document(id: DocumentId, cache = true): StoredDocument | undefined {
    const pending = this.pending.get(id);
    if (pending) return pending.document ?? undefined;
    if (!this.keys.has(id)) return undefined;
    const key = this.cacheKey(id);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const text = this.source(this.name, id);
    if (text === undefined) throw new Error(`document ${JSON.stringify(id)} of ${this.name} is missing from the file`);
    const document = JSON.parse(text) as StoredDocument;
    if (cache) this.cache.set(key, document, text.length);
    return document;
  }

  insert(document: StoredDocument): void {
    if (this.keys.has(document._id)) throw duplicateKey(this.name, '_id_', ['_id'], [document._id]);
    this.write(document._id, document);
  }


  /** Whether a document has this `_id`, as the write in progress left it (its keys say), without reading it. */
  has(id: DocumentId): boolean {
    return this.keys.has(id);
  }

  /** Replaces the document with this `_id` (see `has`); it need not have been read. */
  replace(id: DocumentId, replacement: StoredDocument): void {
    this.write(id, replacement);
  }

  remove(document: StoredDocument): void {
    this.write(document._id, null);
  }

  /**
   * After the write's transaction committed: its documents replace the cached ones. A document the
   * cache does not hold is not added: most are new ones a projector writes once and never reads
   * back (an audit record, a timeline entry, one per event), and they pushed out of the cache the
   * documents it reads at every event (a partnership, its compliance), which then had to be read
   * from the file and parsed again. A document gets into the cache when it is read.
   *
   * The cache keeps the parsed documents, not their texts, which took 43 % of its heap: the text
   * of a write is saved, then dropped.
   */
  settle(): void {
    for (const [id, { document, text }] of this.pending) {
      const key = this.cacheKey(id);
      if (document && this.cache.has(key)) this.cache.set(key, document, text.length);
      else this.cache.delete(key);
    }
    this.pending.clear();
  }

  /** After the write's transaction failed: puts back the keys the file has for the documents it changed. */
  restore(keysInFile: (id: DocumentId) => string | undefined): void {
    const ids = [...this.pending.keys()];
    this.pending.clear();
    // All the changed keys leave the indexes before any come back, as they may have swapped values.
    for (const id of ids) this.unindex(id);
    for (const id of ids) {
      const text = keysInFile(id);
      if (text !== undefined) this.index(JSON.parse(text) as DocumentKeys);
    }
  }

  /** Adds a document as the file holds it, by the text of its keys (when opening). */
  load(keysText: string): void {
    this.index(JSON.parse(keysText) as DocumentKeys);
  }

  /** The text of the keys `document` has in this collection, saved beside it. */
  keysText(document: StoredDocument): string {
    return JSON.stringify(this.keysOf(document, this.paths));
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

  /**
   * Adds an index (a unique one over documents that repeat a key throws E11000 and is not added).
   * Every document's keys change with the paths they keep: `save` is given their texts (reading
   * each document once) before anything changes in memory, and may throw to refuse the index.
   */
  addIndex(definition: IndexDefinition, save: (keysTexts: Map<DocumentId, string>) => void = () => undefined): void {
    const definitions = [...this.indexDefinitions, definition];
    const paths = new KeyPaths(definitions.flatMap((each) => Object.keys(each.key)));
    const keys = [...this.keys.keys()].map((id) => this.keysOf(this.document(id, false)!, paths));
    const unique = definition.unique ? new UniqueIndex(this.name, definition) : undefined;
    if (unique) for (const each of keys) unique.add(each._id, unique.keysOf(each), true);
    save(new Map(keys.map((each) => [each._id, JSON.stringify(each)])));
    this.indexes.set(definition.name, definition);
    this.paths = paths;
    this.keys.clear();
    this.lookups.clear();
    this.uniqueIndexes = definitions.filter((each) => each.unique).map((each) => new UniqueIndex(this.name, each));
    for (const each of keys) this.index(each);
  }

  /** The keys of `document` under `paths`; they share values with it, which is never changed in place. */
  private keysOf(document: StoredDocument, paths: KeyPaths): DocumentKeys {
    const keys = paths.pick(document) as DocumentKeys;
    keys._id = document._id;
    return keys;
  }

  private write(id: DocumentId, document: StoredDocument | null): void {
    const after = document ? this.keysOf(document, this.paths) : undefined;
    const keysText = after ? JSON.stringify(after) : '';
    // Every unique index is checked before any changes.
    for (const index of this.uniqueIndexes) if (after) index.assertFree(id, index.keysOf(after));
    // Before this write, the file's keys are those in memory, unless an earlier write of the same transaction changed them.
    const earlier = this.pending.get(id);
    const before = this.keys.get(id);
    const beforeText = earlier ? earlier.keysText : before && JSON.stringify(before);
    const keysChanged = earlier ? earlier.keysChanged || earlier.keysText !== keysText : beforeText !== keysText;
    // Keys as they were stay indexed as they are: most writes replace a document without changing
    // its indexed fields, and its indexes need no update.
    if (beforeText !== keysText) {
      this.unindex(id);
      if (after) this.index(after);
    }
    this.pending.set(id, { document, text: document ? takeJsonText(document) : '', keysText, keysChanged });
  }

  private index(keys: DocumentKeys): void {
    this.keys.set(keys._id, keys);
    for (const lookup of this.lookups.values()) lookup.add(keys);
    for (const index of this.uniqueIndexes) index.add(keys._id, index.keysOf(keys));
  }

  private unindex(id: DocumentId): void {
    const keys = this.keys.get(id);
    if (!keys) return;
    this.keys.delete(id);
    for (const lookup of this.lookups.values()) lookup.remove(keys);
    for (const index of this.uniqueIndexes) index.remove(id, index.keysOf(keys));
  }

  /** The lookup on `path` if it is the first field of an index, built from the keys on first use. */
  private lookup(path: string): ValueLookup | undefined {
    let lookup = this.lookups.get(path);
    if (!lookup && this.indexDefinitions.some((definition) => Object.keys(definition.key)[0] === path)) {
      lookup = new ValueLookup(path);
      for (const keys of this.keys.values()) lookup.add(keys);
      this.lookups.set(path, lookup);
    }
    return lookup;
  }

  private plan(filter: Document): Plan {
    const ids = candidateIds(filter, (path, values) => {
      const lookup = this.lookup(path);
      return lookup && values.flatMap((value) => [...lookup.find(value)]);
    });
    // `{}` and `{_id: v}` need no test: their candidates are their matches.
    const fields = Object.keys(filter);
    const query = fields.length === 0 || (fields.length === 1 && isDocumentId(filter._id)) ? undefined : new Query(filter);
    const covered = !query || coveredBy(filter, this.paths);
    let keys: Iterable<DocumentKeys> = ids ? [...ids].flatMap((id) => this.keys.get(id) ?? []) : this.keys.values();
    if (covered && query) keys = [...keys].filter((each) => query.test(each));
    return {
      keys,
      covered,
      cache: ids !== undefined,
      matches: (document: StoredDocument) => covered || query!.test(document),
    };
  }

  /** The documents of `keys` that match the plan's filter, read as they are asked for. */
  private *matching(keys: Iterable<DocumentKeys>, plan: Plan): Generator<StoredDocument> {
    for (const { _id } of keys) {
      const document = this.document(_id, plan.cache)!;
      if (plan.matches(document)) yield document;
    }
  }

  private cacheKey(id: DocumentId): string {
    return this.cacheId + (typeof id === 'number' ? `n${id}` : `s${id}`);
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
  keysOf(document: Document): string[] {
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

  /** `check`: refuses a key another document has (when building the index over existing documents). */
  add(id: DocumentId, keys: string[], check = false): void {
    if (check) this.assertFree(id, keys);
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

function* drop<T>(items: Iterable<T>, count: number): Generator<T> {
  let seen = 0;
  for (const item of items) if (seen++ >= count) yield item;
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    if (++taken >= count) return;
  }
}
