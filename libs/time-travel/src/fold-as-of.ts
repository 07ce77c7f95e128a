import type { RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import type { AsOf } from './as-of';
import { qualifies } from './semantics';

/**
 * One stream's document of one read model at (T, K): the stream's qualifying events folded by the
 * projection itself, so the as-of document is built by the same code as the current read model.
 * Events are fed in position order, which the deciders make equal to the (effectiveAt, position)
 * fold (property-tested against it), and which the projections' `lastPosition` guards expect.
 * Null when no event of the stream qualifies (not registered, or not yet known, at the point).
 */
export async function foldStreamAsOf<T extends ProjectionDocument>(
  projection: Projection,
  collection: string,
  stream: readonly RecordedEvent[],
  point: AsOf,
): Promise<T | null> {
  const first = stream.find((event) => qualifies(event, point));
  return first ? foldEventsAsOf<T>(projection, collection, first.streamId, stream, point) : null;
}

/**
 * The document `id` of a read model at (T, K), folded by its projection from the qualifying
 * `events` (in position order; from every stream the document depends on). Null when none of
 * them made it.
 */
export async function foldEventsAsOf<T extends ProjectionDocument>(
  projection: Projection,
  collection: string,
  id: string,
  events: readonly RecordedEvent[],
  point: AsOf,
): Promise<T | null> {
  const documents = new SingleUseDocuments();
  for (const event of events) {
    if (qualifies(event, point)) await projection.apply(event, documents);
  }
  return documents.find<T>(collection, id);
}

/**
 * `ProjectionDocuments` over a Map without copies: a projection never changes a document after
 * putting it (the runtime's contract), and these documents live for one fold only.
 */
class SingleUseDocuments implements ProjectionDocuments {
  private readonly documents = new Map<string, ProjectionDocument>();

  async get<T extends ProjectionDocument>(collection: string, id: string): Promise<T | null> {
    return this.find<T>(collection, id);
  }

  find<T extends ProjectionDocument>(collection: string, id: string): T | null {
    return (this.documents.get(`${collection}\u0000${id}`) as T | undefined) ?? null;
  }

  put<T extends ProjectionDocument>(collection: string, document: T): void {
    this.documents.set(`${collection}\u0000${document._id}`, document);
  }

  delete(collection: string, id: string): void {
    this.documents.delete(`${collection}\u0000${id}`);
  }
}
