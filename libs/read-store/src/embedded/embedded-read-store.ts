import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { GroupCommit } from '@registry/shared-kernel';
import type { BulkWriteSummary, CollectionWrite, CommitOptions, Document, DocumentId, ReadCollection, ReadDocument, ReadStore } from '../read-store.port';
import { applyBulkWrite } from './bulk-write';
import { DocumentCache } from './document-cache';
import { type CollectionHost, EmbeddedReadCollection } from './embedded-collection';
import { ErrorCode, MongoCompatibleError } from './errors';
import type { StoredDocument } from './json-documents';
import { type IndexDefinition, StoredCollection } from './stored-collection';
import { type CheckpointerOptions, WalCheckpointer } from './wal-checkpointer';

interface PendingCommit {
  writes: readonly CollectionWrite[];
  handOver: boolean;
}

/** `user_version` of a file whose documents all have their keys; 0 is a file from before keys were saved. */
const KEYS_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id NOT NULL, -- no type affinity: a string id and a number id stay distinct, as in MongoDB
    doc TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  );
  -- Each document's keys (see DocumentKeys), in a table of their own: opening reads them, not the documents' pages.
  CREATE TABLE IF NOT EXISTS document_keys (
    collection TEXT NOT NULL,
    id NOT NULL,
    keys TEXT NOT NULL,
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
    allKeys: db.prepare<[], [string, string]>('SELECT collection, keys FROM document_keys').raw(),
    allIndexes: db.prepare<[], [string, string]>('SELECT collection, definition FROM indexes').raw(),
    documentsAfter: db.prepare<[number], [number, string, string]>('SELECT rowid, collection, doc FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 1000').raw(),
    document: db.prepare<[string, DocumentId], string>('SELECT doc FROM documents WHERE collection = ? AND id = ?').pluck(),
    keys: db.prepare<[string, DocumentId], string>('SELECT keys FROM document_keys WHERE collection = ? AND id = ?').pluck(),
    saveDocument: db.prepare<[string, DocumentId, string]>(
      'INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc',
    ),
    saveKeys: db.prepare<[string, DocumentId, string]>(
      'INSERT INTO document_keys (collection, id, keys) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET keys = excluded.keys',
    ),
    deleteDocument: db.prepare<[string, DocumentId]>('DELETE FROM documents WHERE collection = ? AND id = ?'),
    deleteKeys: db.prepare<[string, DocumentId]>('DELETE FROM document_keys WHERE collection = ? AND id = ?'),
    saveIndex: db.prepare<[string, string, string]>('INSERT INTO indexes (collection, name, definition) VALUES (?, ?, ?)'),
    dropDocuments: db.prepare<[string]>('DELETE FROM documents WHERE collection = ?'),
    dropKeys: db.prepare<[string]>('DELETE FROM document_keys WHERE collection = ?'),
    dropIndexes: db.prepare<[string]>('DELETE FROM indexes WHERE collection = ?'),
    renameDocuments: db.prepare<[string, string]>('UPDATE documents SET collection = ? WHERE collection = ?'),
    renameKeys: db.prepare<[string, string]>('UPDATE document_keys SET collection = ? WHERE collection = ?'),
    renameIndexes: db.prepare<[string, string]>('UPDATE indexes SET collection = ? WHERE collection = ?'),
  };
}

export interface EmbeddedReadStoreOptions {
  /** Megabytes of JSON text of the parsed documents kept in memory (the parsed objects take more). */
  cacheMegabytes?: number;
  /** How often the checkpointer thread runs (see `WalCheckpointer`). */
  checkpoints?: CheckpointerOptions;
}

/**
 * Locks the directory against every other process for as long as the returned connection is
 * open: a lock file's SQLite database, in exclusive locking mode, whose write lock is taken and
 * kept (the system drops it with the process, however it ends). The documents' file cannot be
 * locked so itself, as the checkpointer thread opens it too.
 */
function lockDirectory(directory: string): Database.Database {
  const lock = new Database(join(directory, 'read-models.lock'));
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw Object.assign(
      new Error(`the embedded read store in ${directory} is open in another process (an API or a CLI command on the same DATA_DIR): it allows one at a time`),
      { code: 'SQLITE_BUSY' },
    );
  }
}

/**
 * Rebuilding 10,000 partnerships took less CPU with 32 MB than with 128 MB (a smaller heap for
 * the garbage collector to trace outweighs the documents parsed again) and peaked at 1.6 GB, not 2.5.
 */
const DEFAULT_CACHE_MEGABYTES = 32;

/**
 * The embedded read store: documents queried with mingo (so with MongoDB's query, update and
 * aggregation semantics), kept in `<directory>/read-models.sqlite`, one row per document. Memory
 * holds each document's index keys and a bounded cache of parsed documents, not the documents:
 * see `StoredCollection` for how reads use the keys. Opening reads the keys (saved in a table of
 * their own), not the documents.
 *
 * A write (a `commit`, a `bulkWrite`, any single write) is atomic: it is applied to the keys and
 * indexes in memory, its documents are saved in one SQLite transaction, and only then do they
 * replace the cached ones; if an operation or the transaction fails, the changed keys are read
 * back from the file, which still holds their state before the write. Memory and file agree
 * because every stored value is JSON: a copy made through JSON, or a handed-over document that
 * JSON gives back unchanged (see `adoptJson`).
 *
 * `synchronous = NORMAL`: in WAL mode a commit survives a crash of the process but may be lost
 * with the last ones on power loss. That is acceptable because read models can be rebuilt from the
 * event log, and a projector's checkpoint is committed with its documents, so it resumes from
 * whatever was kept. A thread of its own checkpoints the log into the file (see `WalCheckpointer`).
 * The directory is locked against other processes while open (`lockDirectory`): the keys and
 * cached documents live in this process's memory, so a second process would work on a stale copy.
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, StoredCollection>();
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly persist: Database.Transaction<(collections: Iterable<StoredCollection>) => void>;
  private readonly cache: DocumentCache;
  private readonly host: CollectionHost = {
    stored: (name) => {
      this.assertOpen();
      return this.collections.get(name);
    },
    write: (writes) => this.write([{ writes, handOver: false }]),
    createIndex: (name, definition) => this.createIndex(name, definition),
  };
  private readonly commits = new GroupCommit<PendingCommit, void>((commits) => this.commitTogether(commits), {
    closedMessage: 'the read store is closed: the service is shutting down',
  });
  private closed = false;
  private checkpointer?: WalCheckpointer;

  static open(directory: string, { cacheMegabytes = DEFAULT_CACHE_MEGABYTES, checkpoints }: EmbeddedReadStoreOptions = {}): EmbeddedReadStore {
    const lock = lockDirectory(directory);
    const filePath = join(directory, 'read-models.sqlite');
    const db = new Database(filePath);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A projector's batch rewrites pages all over the file: keep them cached (64 MiB).
      db.pragma('cache_size = -65536');
      // The checkpointer thread copies the log into the file (see WalCheckpointer); after it has, the
      // log starts over, and a log that grew past 64 MiB in a burst is cut back to that.
      db.pragma('wal_autocheckpoint = 0');
      db.pragma('journal_size_limit = 67108864');
      // A new file has all its documents' keys (none); an older one gets them in `load`.
      if ((db.pragma('table_list(documents)') as unknown[]).length === 0) db.pragma(`user_version = ${KEYS_VERSION}`);
      db.exec(SCHEMA);
      const store = new EmbeddedReadStore(db, lock, new DocumentCache(cacheMegabytes * 1024 * 1024));
      store.load();
      store.checkpointer = new WalCheckpointer(filePath, (error) => store.checkpointInCommits(error), checkpoints);
      return store;
    } catch (error) {
      db.close();
      lock.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    /** Held open while the store is: see `lockDirectory`. */
    private readonly lock: Database.Database,
    cache: DocumentCache,
  ) {
    this.cache = cache;
    this.statements = prepareStatements(db);
    this.persist = db.transaction((collections: Iterable<StoredCollection>) => {
      for (const collection of collections) {
        for (const [id, { document, text, keysText, keysChanged }] of collection.pending) {
          if (document) {
            this.statements.saveDocument.run(collection.name, id, text);
            if (keysChanged) this.statements.saveKeys.run(collection.name, id, keysText);
          } else {
            this.statements.deleteDocument.run(collection.name, id);
            this.statements.deleteKeys.run(collection.name, id);
          }
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
      this.statements.renameKeys.run(to, from);
      this.statements.renameIndexes.run(to, from);
    })();
    this.collections.delete(from);
    source.name = to;
    this.collections.set(to, source);
  }

  /**
   * Commits submitted in the same turn of the event loop (the live projectors, woken by the same
   * events) share one transaction; if it fails, each is tried alone, so that one commit's failure
   * is its own.
   */
  commit(writes: readonly CollectionWrite[], { handOver = false }: CommitOptions = {}): Promise<void> {
    return this.commits.submit({ writes, handOver });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.commits.close();
    this.closed = true;
    await this.checkpointer?.close(); // first: closing the last connection checkpoints and removes the log
    this.db.close();
    this.lock.close();
  }

  private commitTogether(commits: PendingCommit[]): PromiseSettledResult<void>[] {
    if (commits.length > 1) {
      try {
        this.write(commits);
        return commits.map(() => ({ status: 'fulfilled', value: undefined }));
      } catch {
        // rolled back: each on its own below
      }
    }
    return commits.map((commit) => {
      try {
        this.write([commit]);
        return { status: 'fulfilled', value: undefined };
      } catch (reason) {
        return { status: 'rejected', reason };
      }
    });
  }

  /** Applies the writes to the collections, then saves their documents in one transaction; all or nothing. */
  private write(commits: readonly PendingCommit[]): BulkWriteSummary[] {
    this.assertOpen();
    const written = new Set<StoredCollection>();
    try {
      const summaries = commits.flatMap(({ writes, handOver }) =>
        writes.map(({ collection: name, operations }) => {
          const collection = this.collectionState(name);
          written.add(collection);
          return applyBulkWrite(collection, operations, handOver);
        }),
      );
      this.persist(written);
      for (const collection of written) collection.settle();
      return summaries;
    } catch (error) {
      // The failed write's transaction was rolled back: the file has the keys as they were.
      for (const collection of written) collection.restore((id) => this.statements.keys.get(collection.name, id));
      throw error;
    }
  }

  private createIndex(name: string, definition: IndexDefinition): void {
    this.assertOpen();
    const collection = this.collectionState(name);
    if (collection.hasIndex(definition)) return;
    // Saved with the documents' new keys in one transaction, which a refused index (E11000) rolls back.
    this.db.transaction(() =>
      collection.addIndex(definition, (keysTexts) => {
        this.statements.saveIndex.run(name, definition.name, JSON.stringify(definition));
        for (const [id, text] of keysTexts) this.statements.saveKeys.run(name, id, text);
      }),
    )();
  }

  private load(): void {
    for (const [name, json] of this.statements.allIndexes.iterate()) {
      this.collectionState(name).addIndex(JSON.parse(json) as IndexDefinition);
    }
    if (this.db.pragma('user_version', { simple: true }) !== KEYS_VERSION) this.saveAllKeys();
    for (const [name, keys] of this.statements.allKeys.iterate()) this.collectionState(name).load(keys);
  }

  /** Saves every document's keys, reading each document once: a file from before they were saved. */
  private saveAllKeys(): void {
    this.db.transaction(() => {
      // In pages, as the connection cannot write while it iterates.
      for (let after = 0, page; (page = this.statements.documentsAfter.all(after)).length > 0; after = page[page.length - 1][0]) {
        for (const [, name, json] of page) {
          const document = JSON.parse(json) as StoredDocument;
          this.statements.saveKeys.run(name, document._id, this.collectionState(name).keysText(document));
        }
      }
      this.db.pragma(`user_version = ${KEYS_VERSION}`);
    })();
  }

  private deleteRows(name: string): void {
    this.statements.dropDocuments.run(name);
    this.statements.dropKeys.run(name);
    this.statements.dropIndexes.run(name);
  }

  private collectionState(name: string): StoredCollection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new StoredCollection(name, (from, id) => this.statements.document.get(from, id), this.cache);
      this.collections.set(name, collection);
    }
    return collection;
  }

  /** Without the checkpointer thread, SQLite's own checkpoints in the commits (every 40 MiB of log) keep the log bounded. */
  private checkpointInCommits(error: Error): void {
    if (this.closed) return;
    new Logger('EmbeddedReadStore').warn(`the checkpointer thread stopped (${error.message}): commits checkpoint the log themselves again`);
    this.db.pragma('wal_autocheckpoint = 10000');
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }
}
