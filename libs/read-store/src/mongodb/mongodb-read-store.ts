import { type Db, type Document, MongoClient } from 'mongodb';
import type { CollectionWrite, ReadCollection, ReadDocument, ReadStore } from '../read-store.port';

/**
 * The read store on a MongoDB server, through the official driver. `collection` hands out the
 * driver's `Collection` itself, which the compiler checks against `ReadCollection`, so queries and
 * projectors get MongoDB's own behaviour. A standalone server has no multi-document transactions:
 * `commit` runs one ordered `bulkWrite` per collection, in order (see the port).
 */
export class MongoReadStore implements ReadStore {
  /** `dbName` defaults to the database in the URL path (`mongodb://host/registry`). */
  static async open(url: string, dbName?: string): Promise<MongoReadStore> {
    const client = await MongoClient.connect(url);
    return new MongoReadStore(client, client.db(dbName));
  }

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  collection<T extends Document = ReadDocument>(name: string): ReadCollection<T> {
    return this.db.collection<T>(name);
  }

  async listCollections(): Promise<string[]> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return collections.map(({ name }) => name);
  }

  async dropCollection(name: string): Promise<void> {
    // Its boolean is no answer to whether the collection existed: recent servers say true either way.
    await this.db.dropCollection(name);
  }

  async renameCollection(from: string, to: string, options: { dropTarget?: boolean } = {}): Promise<void> {
    await this.db.renameCollection(from, to, { dropTarget: options.dropTarget ?? false });
  }

  async commit(writes: readonly CollectionWrite[]): Promise<void> {
    for (const { collection, operations } of writes) {
      // The driver refuses an empty bulk write; a projector's batch may leave a collection untouched.
      if (operations.length > 0) await this.db.collection<ReadDocument>(collection).bulkWrite(operations, { ordered: true });
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
