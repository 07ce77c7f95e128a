import type {
  BulkWriteResult,
  DeleteResult,
  Document,
  Filter,
  InsertManyResult,
  InsertOneResult,
  OptionalId,
  OptionalUnlessRequiredId,
  UpdateFilter,
  UpdateResult,
  WithId,
  WithoutId,
} from 'mongodb';

export type { DeleteResult, Document, Filter, InsertManyResult, InsertOneResult, UpdateResult, WithId, WithoutId } from 'mongodb';

/**
 * The read store port: where projectors keep the read models (`partnerships`, `timelines`,
 * `audit`, `trends`, `compliance`, `organisations`, projector checkpoints) and where queries read
 * them. Adapters: embedded (mingo in memory, persisted to SQLite; the default) and MongoDB.
 *
 * It is the subset of the official `mongodb` driver's `Db`/`Collection` API that projectors and
 * queries use, with the driver's own types, so that the MongoDB adapter hands out the driver's
 * `Collection` unchanged (the compiler checks that it satisfies `ReadCollection`) and the
 * embedded adapter follows MongoDB semantics. The subset:
 * - filters: the MongoDB query language (`Filter<T>`), without `$text`, `$where` and geo operators;
 * - reads: `find` (sort, skip, limit, projection), `findOne`, `countDocuments`, `aggregate`
 *   (stages that stay within one collection: no `$lookup`, `$out`, `$merge`);
 * - writes: insert, update (the operators of `ReadStoreUpdate`, no positional `$` paths, no
 *   pipeline updates), replace and delete, alone or in `bulkWrite`, with `upsert`;
 * - `createIndex` with `unique` and `name`;
 * - `commit`, which groups the bulk writes of several collections (below).
 *
 * Conventions every adapter keeps:
 * - `_id` is a string or a number (an insert without one gets a generated id: an ObjectId on
 *   MongoDB, a 24-hex-digit string embedded; projectors always choose their ids).
 * - Documents are JSON: store instants as ISO-8601 strings, not `Date`s (they sort and compare
 *   as strings in both adapters; the embedded one persists JSON).
 * - Errors carry MongoDB's codes: 11000 for a duplicate key (`isDuplicateKeyError`); 14, 2 and 28
 *   for an update of a field of the wrong type (`$inc` of a string, `$push` to a non-array, a
 *   path through a scalar); 66 for a replacement that changes `_id`; 26 and 48 for a rename from
 *   a missing collection or onto an existing one without `dropTarget`.
 * - Writes of one call (`bulkWrite`, `insertMany`, `commit`) are applied in order and stop at the
 *   first error. The embedded adapter applies each call atomically: on error nothing of it is
 *   visible or persisted. MongoDB keeps the operations before the failing one: a standalone
 *   server has no multi-document transactions, so projectors guard each document with the
 *   position of the last event applied to it and replay from their checkpoint after a failure.
 * - Reads return copies: mutating a returned document does not change the store.
 */
export interface ReadStore {
  /** A handle on a collection; it exists from its first write or index. */
  collection<T extends Document = ReadDocument>(name: string): ReadCollection<T>;

  /** Names of the collections that exist. */
  listCollections(): Promise<string[]>;

  /** Drops a collection with its documents and indexes; dropping a missing one does nothing. */
  dropCollection(name: string): Promise<void>;

  /**
   * Renames a collection, keeping its documents and indexes (how a rebuilt projection is swapped
   * in). Without `dropTarget`, an existing target is an error; with it, the target is replaced.
   */
  renameCollection(from: string, to: string, options?: { dropTarget?: boolean }): Promise<void>;

  /**
   * Applies the bulk writes of several collections in the order given: atomically in the embedded
   * adapter, one ordered `bulkWrite` after another on MongoDB (see the conventions above). This is
   * how a projector writes its documents together with its checkpoint.
   */
  commit(writes: readonly CollectionWrite[], options?: CommitOptions): Promise<void>;

  close(): Promise<void>;
}

export interface ReadCollection<T extends Document = ReadDocument> {
  find(filter?: Filter<T>, options?: FindOptions): ReadCursor<WithId<T>>;
  /** With a projection, name the shape of the documents returned. */
  find<R extends Document>(filter: Filter<T>, options?: FindOptions): ReadCursor<R>;
  findOne(filter?: Filter<T>, options?: FindOneOptions): Promise<WithId<T> | null>;
  countDocuments(filter?: Filter<T>): Promise<number>;
  aggregate<R extends Document = Document>(pipeline: Document[]): ReadCursor<R>;

  insertOne(document: OptionalUnlessRequiredId<T>): Promise<InsertOneResult<T>>;
  insertMany(documents: readonly OptionalUnlessRequiredId<T>[]): Promise<InsertManyResult<T>>;
  updateOne(filter: Filter<T>, update: ReadStoreUpdate<T>, options?: UpsertOption): Promise<UpdateResult<T>>;
  updateMany(filter: Filter<T>, update: ReadStoreUpdate<T>, options?: UpsertOption): Promise<UpdateResult<T>>;
  replaceOne(filter: Filter<T>, replacement: WithoutId<T>, options?: UpsertOption): Promise<UpdateResult<T>>;
  deleteOne(filter: Filter<T>): Promise<DeleteResult>;
  deleteMany(filter: Filter<T>): Promise<DeleteResult>;
  bulkWrite(operations: readonly BulkOperation<T>[]): Promise<BulkWriteSummary>;

  /** Creates the index unless it exists; returns its name (by default `field_1_other_-1`). */
  createIndex(keys: IndexKeys, options?: CreateIndexOptions): Promise<string>;
}

export type DocumentId = string | number;

/**
 * A read model document: JSON whose `_id` is a string or a number (the driver's default is an
 * ObjectId). For typed updates, name a collection's schema as a plain interface: the driver's
 * typings refuse `$push` and `$pull` on a type with an index signature, this one too.
 */
export interface ReadDocument extends Document {
  _id?: DocumentId;
}

/** What `find` and `aggregate` return: read it whole or iterate it. */
export interface ReadCursor<T> extends AsyncIterable<T> {
  toArray(): Promise<T[]>;
}

export type SortDirection = 1 | -1;

/** Field paths (dotted for nested fields) in order of precedence. */
export type SortSpec = Readonly<Record<string, SortDirection>>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  /** 0 or absent: no limit. */
  limit?: number;
  /** Inclusion (`{name: 1}`) or exclusion (`{history: 0}`); `_id` is included unless excluded. */
  projection?: Document;
}

export type FindOneOptions = Omit<FindOptions, 'limit'>;

export interface UpsertOption {
  /** Inserts a document when none matches: the filter's equality fields plus the update. */
  upsert?: boolean;
}

/** The update operators of the subset; `$push` and `$addToSet` take `$each`. */
export type ReadStoreUpdate<T extends Document = ReadDocument> = Pick<
  UpdateFilter<T>,
  '$set' | '$setOnInsert' | '$inc' | '$push' | '$pull' | '$addToSet' | '$unset' | '$max' | '$min'
>;

/** The driver's `AnyBulkWriteOperation<T>`, less its options (collation, hint, array filters). */
export type BulkOperation<T extends Document = ReadDocument> =
  | { insertOne: { document: OptionalId<T> } }
  | { updateOne: { filter: Filter<T>; update: ReadStoreUpdate<T> } & UpsertOption }
  | { updateMany: { filter: Filter<T>; update: ReadStoreUpdate<T> } & UpsertOption }
  | { replaceOne: { filter: Filter<T>; replacement: WithoutId<T> } & UpsertOption }
  | { deleteOne: { filter: Filter<T> } }
  | { deleteMany: { filter: Filter<T> } };

/** The counts of the driver's `BulkWriteResult`; ids are keyed by operation index. */
export type BulkWriteSummary = Pick<
  BulkWriteResult,
  'insertedCount' | 'matchedCount' | 'modifiedCount' | 'deletedCount' | 'upsertedCount' | 'insertedIds' | 'upsertedIds'
>;

export interface CommitOptions {
  /**
   * The caller will not change the documents it writes, nor anything they hold, after the call,
   * so the embedded adapter may keep them instead of copying them (a projector's batch). MongoDB
   * serialises them either way.
   */
  handOver?: boolean;
}

export interface CollectionWrite {
  collection: string;
  operations: readonly BulkOperation[];
}

/** Ascending (1) or descending (-1) per field, in order. */
export type IndexKeys = Readonly<Record<string, SortDirection>>;

export interface CreateIndexOptions {
  unique?: boolean;
  name?: string;
}

/** MongoDB's duplicate key error code (E11000), which both adapters throw on a unique index violation. */
export const DUPLICATE_KEY_ERROR = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY_ERROR;
}

export const READ_STORE = Symbol('READ_STORE');
