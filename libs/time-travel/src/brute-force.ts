import { asPartnershipEvent, evolve, initialState, type ExistingPartnership, type PartnershipState } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { InMemoryDocuments } from '@registry/projector';
import {
  COMPLIANCE,
  complianceProjection,
  complianceStatus,
  facetOf,
  toDocument,
  trendTablesFor,
  type ComplianceDocument,
  type CompliancePolicy,
  type ComplianceStatus,
  type PartnershipDocument,
  type TrendFacet,
  type TrendTables,
} from '@registry/projections';
import type { AsOf } from './as-of';
import { compareEffectiveOrder, qualifies } from './semantics';
import type { ComplianceAsOfItem } from './compliance-as-of';
import type { PartnershipAsOfView } from './time-travel';

/**
 * The reference the as-of engines are tested against (and the bench's `asof.replay_trends_ms`):
 * filter every event by (asOf, knownAt), fold each stream's qualifying events in
 * (effectiveAt, globalPosition) order with the domain's `evolve`, then count with the trends
 * projection's own `facetOf` / `contribution` / tables code. Cost: the whole log, every time.
 */

/** Each partnership's state at `point`, keyed by id, with its qualifying events in effective order. */
export function replayStatesAsOf(events: Iterable<RecordedEvent>, point: AsOf): Map<string, { state: ExistingPartnership; events: RecordedEvent[] }> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!qualifies(event, point)) continue;
    const domain = asPartnershipEvent(event);
    if (!domain) continue;
    const id = domain.data.partnershipId;
    let stream = streams.get(id);
    if (!stream) streams.set(id, (stream = []));
    stream.push(event);
  }
  const states = new Map<string, { state: ExistingPartnership; events: RecordedEvent[] }>();
  for (const [id, stream] of streams) {
    stream.sort(compareEffectiveOrder);
    let state: PartnershipState = initialState;
    for (const event of stream) state = evolve(state, asPartnershipEvent(event)!);
    if (state.status !== 'unknown') states.set(id, { state, events: stream });
  }
  return states;
}

/** `GET /trends?asOf=&knownAt=[&cluster=]` by brute force. */
export function replayTrendsAsOf(events: Iterable<RecordedEvent>, point: AsOf, cluster?: readonly string[]): TrendTables {
  const facets: TrendFacet[] = [];
  for (const { state } of replayStatesAsOf(events, point).values()) facets.push(facetOf(state));
  const inCluster = cluster && cluster.length > 0 ? facets.filter((facet) => facet.themes.primary.some((theme) => cluster.includes(theme))) : facets;
  return trendTablesFor(inCluster);
}

/** `GET /partnerships/:id?asOf=` by brute force: the read model's document built from the effective-order fold. */
export function replayPartnershipAsOf(events: Iterable<RecordedEvent>, id: string, point: AsOf): PartnershipAsOfView | null {
  const found = replayStatesAsOf(events, point).get(id);
  return found ? viewOf(found.state, found.events) : null;
}

/** Every partnership at `point` as the read model's full document (internal fields included, for filters), sorted by id. */
export function replayPartnershipDocumentsAsOf(events: Iterable<RecordedEvent>, point: AsOf): PartnershipDocument[] {
  return [...replayStatesAsOf(events, point)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { state, events: stream }]) => documentOf(state, stream));
}

function documentOf(state: ExistingPartnership, stream: RecordedEvent[]): PartnershipDocument {
  const last = stream.reduce((a, b) => (b.globalPosition > a.globalPosition ? b : a));
  const ended = stream.find((event) => event.type === 'PartnershipEnded');
  return toDocument(state, last, ended ? ended.metadata.effectiveAt : null);
}

function viewOf(state: ExistingPartnership, stream: RecordedEvent[]): PartnershipAsOfView {
  const { _fold, searchText, lastPosition, ...view } = documentOf(state, stream);
  return view;
}

/** `GET /reporting/compliance?asOf=` list by brute force: the compliance projection over the qualifying events, statuses evaluated at asOf, sorted by id. */
export async function replayComplianceAsOf(events: Iterable<RecordedEvent>, point: AsOf, policy: Partial<CompliancePolicy> = {}): Promise<ComplianceAsOfItem[]> {
  const projection = complianceProjection(policy);
  const documents = new InMemoryDocuments();
  const qualifying = [...events].filter((event) => qualifies(event, point)).sort(compareEffectiveOrder);
  for (const event of qualifying) await projection.apply(event, documents);
  return documents
    .all<ComplianceDocument>(COMPLIANCE)
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map(({ lastPosition, ...document }) => ({ ...document, status: complianceStatus(document, point.asOf) }));
}

/** `GET /reporting/compliance?asOf=` counts by brute force. */
export async function replayComplianceCountsAsOf(events: Iterable<RecordedEvent>, point: AsOf, policy: Partial<CompliancePolicy> = {}): Promise<Record<ComplianceStatus, number>> {
  const counts: Record<ComplianceStatus, number> = { green: 0, yellow: 0, red: 0, closed: 0 };
  for (const { status } of await replayComplianceAsOf(events, point, policy)) counts[status]++;
  return counts;
}
