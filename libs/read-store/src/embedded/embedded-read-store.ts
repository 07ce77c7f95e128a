import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BulkWriteSummary, CollectionWrite, CommitOptions, Document, DocumentId, ReadCollection, ReadDocument, ReadStore } from '../read-store.port';
import { applyBulkWrite } from './bulk-write';
import { type CollectionHost, EmbeddedReadCollection } from './embedded-collection';
import { ErrorCode, MongoCompatibleError } from './errors';
import { jsonText, type StoredDocument } from './json-documents';
import { type IndexDefinition, StoredCollection } from './stored-collection';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id NOT NULL, -- no type affinity: a string id and a number id stay distinct, as in MongoDB
    doc TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  );
  CREATE TABLE IF NOT EXISTS indexes (
    collection TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (collection, name)
  );
`;

function prepareStatements(db: Database.Database) {
  return {
    allDocuments: db.prepare<[], [string, string]>('SELECT collection, doc FROM documents').raw(),
    allIndexes: db.prepare<[], [string, string]>('SELECT collection, definition FROM indexes').raw(),
    document: db.prepare<[string, DocumentId], string>('SELECT doc FROM documents WHERE collection = ? AND id = ?').pluck(),
    saveDocument: db.prepare<[string, DocumentId, string]>(
      'INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc',
    ),
    deleteDocument: db.prepare<[string, DocumentId]>('DELETE FROM documents WHERE collection = ? AND id = ?'),
    saveIndex: db.prepare<[string, string, string]>('INSERT INTO indexes (collection, name, definition) VALUES (?, ?, ?)'),
    dropDocuments: db.prepare<[string]>('DELETE FROM documents WHERE collection = ?'),
    dropIndexes: db.prepare<[string]>('DELETE FROM indexes WHERE collection = ?'),
    renameDocuments: db.prepare<[string, string]>('UPDATE documents SET collection = ? WHERE collection = ?'),
    renameIndexes: db.prepare<[string, string]>('UPDATE indexes SET collection = ? WHERE collection = ?'),
  };
}

/** The ids each write touched, per collection: what to persist, or to restore on failure. */
type Touched = Map<StoredCollection, Set<DocumentId>>;

/**
 * The embedded read store: every document in memory (queried with mingo, so with MongoDB's query,
 * update and aggregation semantics), persisted in `<directory>/read-models.sqlite`, one row per
 * document, and loaded back whole on open.
 *
 * A write (a `commit`, a `bulkWrite`, any single write) is atomic: it is applied in memory, then
 * its touched documents are saved in one SQLite transaction; if an operation or the transaction
 * fails, the touched documents are read back from the file, which still holds their state before
 * the write. Memory and file always agree because every stored value is JSON: a copy made through
 * JSON, or a handed-over document that JSON gives back unchanged (see `adoptJson`).
 *
 * `synchronous = NORMAL`: in WAL mode a commit survives a crash of the process but may be lost
 * with the last ones on power loss. That is acceptable because read models can be rebuilt from the
 * event log, and a projector's checkpoint is committed with its documents, so it resumes from
 * whatever was kept. The file is locked exclusively while open: the documents live in this
 * process's memory, so a second process would work on a stale copy.
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, StoredCollection>();
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly persist: Database.Transaction<(touched: Touched) => void>;
  private readonly host: CollectionHost = {
    stored: (name) => {
      this.assertOpen();
      return this.collections.get(name);
    },
    write: (writes) => this.write(writes),
    createIndex: (name, definition) => this.createIndex(name, definition),
  };
  private closed = false;

  static open(directory: string): EmbeddedReadStore {
    const db = new Database(join(directory, 'read-models.sqlite'));
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A projector's batch rewrites pages all over the file: keep them cached (64 MiB) and
      // checkpoint, which waits for fsync, every 40 MiB of WAL rather than every 4 MiB.
      db.pragma('cache_size = -65536');
      db.pragma('wal_autocheckpoint = 10000');
      db.exec(SCHEMA);
      // Takes the exclusive lock now, so that a second process fails at open rather than at its first write.
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      const store = new EmbeddedReadStore(db);
      store.load();
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
    this.persist = db.transaction((touched: Touched) => {
      for (const [collection, ids] of touched) {
        for (const id of ids) {
          const document = collection.documents.get(id);
          if (document) this.statements.saveDocument.run(collection.name, id, jsonText(document));
          else this.statements.deleteDocument.run(collection.name, id);
        }
      }
    });
  }

  collection<T extends Document = ReadDocument>(name: string): ReadCollection<T> {
    if (!name) throw new Error('collection names cannot be empty'); // as the driver says
    return new EmbeddedReadCollection<T>(this.host, name);
  }

  async listCollections(): Promise<string[]> {
    this.assertOpen();
    return [...this.collections.values()].filter((collection) => collection.exists).map(({ name }) => name);
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => this.deleteRows(name))();
    this.collections.delete(name);
  }

  async renameCollection(from: string, to: string, options: { dropTarget?: boolean } = {}): Promise<void> {
    this.assertOpen();
    const source = this.collections.get(from);
    if (!source?.exists) throw new MongoCompatibleError(`source namespace ${from} does not exist`, ErrorCode.NamespaceNotFound);
    if (from === to) throw new MongoCompatibleError("Can't rename a collection to itself", ErrorCode.IllegalOperation);
    if (this.collections.get(to)?.exists && !options.dropTarget) {
      throw new MongoCompatibleError(`target namespace ${to} exists`, ErrorCode.NamespaceExists);
    }
    this.db.transaction(() => {
      this.deleteRows(to);
      this.statements.renameDocuments.run(to, from);
      this.statements.renameIndexes.run(to, from);
    })();
    this.collections.delete(from);
    source.name = to;
    this.collections.set(to, source);
  }

  async commit(writes: readonly CollectionWrite[], { handOver = false }: CommitOptions = {}): Promise<void> {
    this.write(writes, handOver);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Applies the writes in memory, then saves the touched documents in one transaction; all or nothing. */
  private write(writes: readonly CollectionWrite[], handOver = false): BulkWriteSummary[] {
    this.assertOpen();
    const touched: Touched = new Map();
    try {
      const summaries = writes.map(({ collection: name, operations }) => {
        const collection = this.collectionState(name);
        const ids = touched.get(collection) ?? new Set<DocumentId>();
        touched.set(collection, ids);
        return applyBulkWrite(collection, operations, (id) => ids.add(id), handOver);
      });
      this.persist(touched);
      return summaries;
    } catch (error) {
      this.restore(touched);
      throw error;
    }
  }

  /** Puts the touched documents back as the file has them (the failed write's transaction was rolled back). */
  private restore(touched: Touched): void {
    for (const [collection, ids] of touched) {
      for (const id of ids) {
        const json = this.statements.document.get(collection.name, id);
        if (json === undefined) collection.documents.delete(id);
        else collection.documents.set(id, JSON.parse(json) as StoredDocument);
      }
      collection.rebuildIndexes();
    }
  }

  private createIndex(name: string, definition: IndexDefinition): void {
    this.assertOpen();
    const collection = this.collectionState(name);
    if (collection.hasIndex(definition)) return;
    // Saved first, in a transaction that a refused index (E11000) rolls back.
    this.db.transaction(() => {
      this.statements.saveIndex.run(name, definition.name, JSON.stringify(definition));
      collection.addIndex(definition);
    })();
  }

  private load(): void {
    for (const [name, json] of this.statements.allDocuments.iterate()) {
      const document = JSON.parse(json) as StoredDocument;
      this.collectionState(name).documents.set(document._id, document);
    }
    for (const [name, json] of this.statements.allIndexes.iterate()) {
      this.collectionState(name).addIndex(JSON.parse(json) as IndexDefinition);
    }
  }

  private deleteRows(name: string): void {
    this.statements.dropDocuments.run(name);
    this.statements.dropIndexes.run(name);
  }

  private collectionState(name: string): StoredCollection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new StoredCollection(name);
      this.collections.set(name, collection);
    }
    return collection;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }
}
