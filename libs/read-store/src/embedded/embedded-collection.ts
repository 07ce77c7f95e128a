import { aggregate, find } from 'mingo';
import type {
  BulkOperation,
  BulkWriteSummary,
  CollectionWrite,
  CreateIndexOptions,
  DeleteResult,
  Document,
  Filter,
  FindOneOptions,
  FindOptions,
  IndexKeys,
  InsertManyResult,
  InsertOneResult,
  ReadCollection,
  ReadCursor,
  ReadDocument,
  ReadStoreUpdate,
  UpdateResult,
  UpsertOption,
  WithId,
} from '../read-store.port';
import { copyJson, type StoredDocument } from './json-documents';
import { type IndexDefinition, indexDefinition, type Selection, type StoredCollection } from './stored-collection';

/** What a collection handle needs from the embedded store. */
export interface CollectionHost {
  /** The collection's documents, if it has ever been written to. */
  stored(name: string): StoredCollection | undefined;
  /** Applies the writes atomically, see `EmbeddedReadStore`. */
  write(writes: readonly CollectionWrite[]): BulkWriteSummary[];
  createIndex(name: string, definition: IndexDefinition): void;
}

/**
 * A collection of the embedded store: a handle by name (renames and drops act on names, as in
 * MongoDB). Reads go to the stored collection and return copies; writes go through the store.
 */
export class EmbeddedReadCollection<T extends Document = ReadDocument> implements ReadCollection<T> {
  constructor(
    private readonly host: CollectionHost,
    private readonly name: string,
  ) {}

  find<R extends Document = WithId<T>>(filter: Filter<T> = {}, options: FindOptions = {}): ReadCursor<R> {
    return new ArrayCursor(() => this.select(filter, options) as R[]);
  }

  async findOne(filter: Filter<T> = {}, options: FindOneOptions = {}): Promise<WithId<T> | null> {
    const [first] = this.select(filter, { ...options, limit: 1 });
    return (first as WithId<T> | undefined) ?? null;
  }

  async countDocuments(filter: Filter<T> = {}): Promise<number> {
    return this.host.stored(this.name)?.count(filter) ?? 0;
  }

  aggregate<R extends Document = Document>(pipeline: Document[]): ReadCursor<R> {
    return new ArrayCursor(() => {
      // A leading $match picks its documents through the indexes, and only those are copied.
      const [first, ...rest] = pipeline;
      const matchFirst = first !== undefined && '$match' in first;
      const input = this.stored(matchFirst ? first.$match : {}).map(copyJson);
      return aggregate(input, matchFirst ? rest : pipeline) as R[];
    });
  }

  async insertOne(document: Document): Promise<InsertOneResult<T>> {
    const { insertedIds } = this.bulk([{ insertOne: { document } }]);
    return { acknowledged: true, insertedId: insertedIds[0] };
  }

  async insertMany(documents: readonly Document[]): Promise<InsertManyResult<T>> {
    const { insertedCount, insertedIds } = this.bulk(documents.map((document) => ({ insertOne: { document } })));
    return { acknowledged: true, insertedCount, insertedIds };
  }

  async updateOne(filter: Document, update: ReadStoreUpdate, options: UpsertOption = {}): Promise<UpdateResult<T>> {
    return updateResult(this.bulk([{ updateOne: { filter, update, ...options } }]));
  }

  async updateMany(filter: Document, update: ReadStoreUpdate, options: UpsertOption = {}): Promise<UpdateResult<T>> {
    return updateResult(this.bulk([{ updateMany: { filter, update, ...options } }]));
  }

  async replaceOne(filter: Document, replacement: Document, options: UpsertOption = {}): Promise<UpdateResult<T>> {
    return updateResult(this.bulk([{ replaceOne: { filter, replacement, ...options } }]));
  }

  async deleteOne(filter: Document): Promise<DeleteResult> {
    return { acknowledged: true, deletedCount: this.bulk([{ deleteOne: { filter } }]).deletedCount };
  }

  async deleteMany(filter: Document): Promise<DeleteResult> {
    return { acknowledged: true, deletedCount: this.bulk([{ deleteMany: { filter } }]).deletedCount };
  }

  async bulkWrite(operations: readonly BulkOperation<T>[]): Promise<BulkWriteSummary> {
    return this.bulk(operations as readonly BulkOperation[]);
  }

  async createIndex(keys: IndexKeys, options?: CreateIndexOptions): Promise<string> {
    const definition = indexDefinition(keys, options);
    this.host.createIndex(this.name, definition);
    return definition.name;
  }

  private stored(filter: Filter<T>, selection?: Selection): StoredDocument[] {
    return this.host.stored(this.name)?.find(filter, selection) ?? [];
  }

  /** MongoDB's sort, then skip and limit, then the projection, on copies. */
  private select(filter: Filter<T>, { sort, skip = 0, limit = 0, projection }: FindOptions): Document[] {
    const page: Document[] = this.stored(filter, { sort, skip, limit: limit > 0 ? limit : Infinity });
    if (!projection) return page.map(copyJson);
    const excluded = excludedFields(projection);
    if (excluded) return page.map((document) => copyWithout(document, excluded));
    return find<Document>(page, {}, projection).all().map(copyJson);
  }

  private bulk(operations: readonly BulkOperation[]): BulkWriteSummary {
    if (operations.length === 0) throw new Error('Invalid BulkOperation, Batch cannot be empty'); // as the driver does
    const [summary] = this.host.write([{ collection: this.name, operations }]);
    return summary;
  }
}

/**
 * The fields of a projection that only leaves out top-level fields (`{_fold: 0, searchText: 0}`,
 * what most queries ask): applied by copying the rest, a tenth of the cost of running mingo's
 * projection. Null for any other projection.
 */
function excludedFields(projection: Document): Set<string> | null {
  const fields = Object.keys(projection);
  if (fields.length === 0) return null;
  for (const field of fields) {
    const value = projection[field];
    if ((value !== 0 && value !== false) || field.includes('.') || field.startsWith('$')) return null;
  }
  return new Set(fields);
}

function copyWithout(document: Document, excluded: ReadonlySet<string>): Document {
  const copy: Document = {};
  for (const field of Object.keys(document)) if (!excluded.has(field)) copy[field] = copyJson(document[field]);
  return copy;
}

function updateResult<T extends Document>({ matchedCount, modifiedCount, upsertedCount, upsertedIds }: BulkWriteSummary): UpdateResult<T> {
  return { acknowledged: true, matchedCount, modifiedCount, upsertedCount, upsertedId: upsertedIds[0] ?? null };
}

/** The results of a read, computed when first consumed, like a driver cursor. */
class ArrayCursor<T> implements ReadCursor<T> {
  constructor(private readonly read: () => T[]) {}

  async toArray(): Promise<T[]> {
    return this.read();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    yield* this.read();
  }
}
