import type { RecordedEvent } from '@registry/event-store';
import { PARTNERSHIPS, partnershipListFilter, partnershipsProjection, type PartnershipDocument } from '@registry/projections';
import { Query } from 'mingo';
import type { AsOf } from './as-of';
import { foldStreamAsOf } from './fold-as-of';
import type { PartnershipAsOfFilter, PartnershipAsOfView } from './time-travel';

/**
 * One partnership at (T, K): its stream (an indexed read, cost = the stream's length, not the
 * log's) folded at the point by the `partnerships` projection (see `foldStreamAsOf`).
 */
export function partnershipDocumentAsOf(stream: readonly RecordedEvent[], point: AsOf): Promise<PartnershipDocument | null> {
  return foldStreamAsOf<PartnershipDocument>(partnershipsProjection, PARTNERSHIPS, stream, point);
}

/** The document without the read model's internal fields (as the API returns it). */
export function viewOf(document: PartnershipDocument): PartnershipAsOfView {
  const { _fold, searchText, lastPosition, ...view } = document;
  return view;
}

/** The list filters of `GET /partnerships`, evaluated on a document (as of a point). */
export function matcher(filter: PartnershipAsOfFilter): (document: PartnershipDocument) => boolean {
  const query = new Query(partnershipListFilter(filter));
  return (document) => query.test(document as never);
}
