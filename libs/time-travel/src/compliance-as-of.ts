import type { RecordedEvent } from '@registry/event-store';
import type { Projection } from '@registry/projector';
import { COMPLIANCE, complianceStatus, type ComplianceDocument, type ComplianceStatus } from '@registry/projections';
import type { AsOf } from './as-of';
import { foldStreamAsOf } from './fold-as-of';
import type { NamedFields } from './time-travel';

/** One line of `GET /reporting/compliance?asOf=`: the compliance document at the point, with its status evaluated at `asOf`. */
export type ComplianceAsOfItem = Omit<NamedFields<ComplianceDocument>, 'lastPosition'> & { status: ComplianceStatus };

/**
 * One partnership's compliance at (T, K): its stream folded at the point by the compliance
 * projection (under the API's policy), the status evaluated at T. Null when it was not
 * registered, or not yet known, then.
 */
export async function complianceItemAsOf(projection: Projection, stream: readonly RecordedEvent[], point: AsOf): Promise<ComplianceAsOfItem | null> {
  const document = await foldStreamAsOf<ComplianceDocument>(projection, COMPLIANCE, stream, point);
  if (!document) return null;
  const { lastPosition, ...item } = document;
  return { ...item, status: complianceStatus(document, point.asOf) };
}
