import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import { PARTNERSHIPS, partnershipsProjection, type PartnershipDocument } from '@registry/projections';
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

/**
 * The MongoDB filter of `GET /partnerships` (the same as the current list's), to be tested with
 * mingo on as-of documents, so both lists select with the same semantics.
 */
export function partnershipFilter(filter: PartnershipAsOfFilter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.status) query.status = filter.status;
  if (filter.theme) query.$or = [{ 'themes.primary': filter.theme }, { 'themes.secondary': filter.theme }];
  if (filter.primaryTheme) query['themes.primary'] = filter.primaryTheme;
  if (filter.scope) query.scope = filter.scope;
  if (filter.region) query.regions = filter.region;
  if (filter.country) query.countries = filter.country;
  if (filter.partner) query['partners.orgId'] = filter.partner;
  const words = filter.q?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) query.$and = words.map((word) => ({ searchText: { $regex: word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') } }));
  return query;
}

export function matcher(filter: PartnershipAsOfFilter): (document: PartnershipDocument) => boolean {
  const query = new Query(partnershipFilter(filter));
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
