import type { RecordedEvent } from '@registry/event-store';

/**
 * A read model as the projector runtime sees it. A projection is a pure reaction to events: it
 * reads and writes documents only through the unit of work it is given, never the store, so the
 * runtime can batch, checkpoint and rebuild it, and unit tests can run it on a plain Map.
 */
export interface Projection {
  /** Stable name, e.g. `partnerships`; also the key of its checkpoint. */
  readonly name: string;
  /**
   * Bump it when the documents' shape or meaning changes: the runtime then rebuilds the
   * projection from the start of the log into fresh collections and swaps them in when caught up.
   */
  readonly version: number;
  /** The logical collections it owns (queries name these; the runtime maps them to physical ones). */
  readonly collections: readonly ProjectionCollection[];
  /**
   * Applies one event. Events arrive in global position order, each exactly once per build. The
   * same event object goes to every projection and may end up in stored documents: never change it.
   */
  apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> | void;
}

export interface ProjectionCollection {
  name: string;
  indexes: readonly ProjectionIndex[];
}

export interface ProjectionIndex {
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  name?: string;
}

export interface ProjectionDocument {
  _id: string;
  [field: string]: unknown;
}

/**
 * The documents of a projection during one batch. `get` returns the latest version of a
 * document (as put earlier in the batch, or as stored); the projection may change it and `put`
 * it back, and must not change a document after putting it (the runtime does not copy them).
 * Nothing is written until the runtime commits the batch with the checkpoint.
 */
export interface ProjectionDocuments {
  get<T extends ProjectionDocument>(collection: string, id: string): Promise<T | null>;
  put<T extends ProjectionDocument>(collection: string, document: T): void;
  delete(collection: string, id: string): void;
}
