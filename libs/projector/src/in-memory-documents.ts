import type { ProjectionDocument, ProjectionDocuments } from './projection';

/**
 * `ProjectionDocuments` over plain Maps: what unit tests give a projection ("given events, then
 * documents"), and a reference the runtime's unit of work must agree with.
 */
export class InMemoryDocuments implements ProjectionDocuments {
  readonly collections = new Map<string, Map<string, ProjectionDocument>>();

  async get<T extends ProjectionDocument>(collection: string, id: string): Promise<T | null> {
    const document = this.collections.get(collection)?.get(id);
    return document ? (structuredClone(document) as T) : null;
  }

  put<T extends ProjectionDocument>(collection: string, document: T): void {
    this.collection(collection).set(document._id, structuredClone(document));
  }

  delete(collection: string, id: string): void {
    this.collections.get(collection)?.delete(id);
  }

  /** All documents of a collection, sorted by id. */
  all<T extends ProjectionDocument>(collection: string): T[] {
    return [...(this.collections.get(collection)?.values() ?? [])]
      .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
      .map((document) => structuredClone(document) as T);
  }

  private collection(name: string): Map<string, ProjectionDocument> {
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new Map()));
    return collection;
  }
}
