import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import { PARTNERSHIPS, partnershipListFilter, partnershipsProjection, type PartnershipDocument } from '@registry/projections';
import { Query } from 'mingo';
import type { AsOf } from './as-of';
import { qualifies } from './semantics';
import type { PartnershipAsOfFilter, PartnershipAsOfView } from './time-travel';

/**
 * One partnership at (T, K): its stream (an indexed read, cost = the stream's length, not the
 * log's), the qualifying events, folded by the `partnerships` projection itself, so the document
 * is built by the same code as the current read model. Events are fed in position order, which
 * the deciders make equal to the (effectiveAt, position) fold (property-tested against it), and
 * which the projection's `lastPosition` guard expects.
 */
export async function partnershipDocumentAsOf(stream: readonly RecordedEvent[], point: AsOf): Promise<PartnershipDocument | null> {
  const documents = new SingleUseDocuments();
  let id: string | null = null;
  for (const event of stream) {
    if (!qualifies(event, point)) continue;
    await partnershipsProjection.apply(event, documents);
    id ??= event.streamId;
  }
  return id === null ? null : documents.find<PartnershipDocument>(PARTNERSHIPS, id);
}

/** The document without the read model's internal fields (as the API returns it). */
export function viewOf(document: PartnershipDocument): PartnershipAsOfView {
  const { _state, searchText, lastPosition, ...view } = document;
  return view;
}


export function matcher(filter: PartnershipAsOfFilter): (document: PartnershipDocument) => boolean {
  const query = new Query(partnershipListFilter(filter));
  return (document) => query.test(document as never);
}

/**
 * `ProjectionDocuments` over a Map without copies: the projection never changes a document after
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
