import { evolve, initialState, type ExistingPartnership, type PartnershipEventType } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocuments } from '@registry/projector';
import { asPartnershipEvent } from '@registry/domain';
import { type Contribution, contribution, difference, facetOf, stateOf, type TrendFacet } from './contribution';
import { addToCounters, COUNTERS_ID, type TrendCounters } from './tables';

export * from './contribution';
export * from './tables';

export const TREND_FACETS = 'trend_facets';
export const TRENDS = 'trends';

/** Events that can change what a partnership counts for; reports, merges and absorptions cannot. */
export const COUNTED_EVENTS: ReadonlySet<PartnershipEventType> = new Set([
  'PartnershipRegistered',
  'PartnerJoined',
  'PartnerLeft',
  'LeadPartnerDesignated',
  'PartnershipAmended',
  'PartnershipEnded',
]);

/**
 * The 2010 report's trend tables, maintained incrementally: per event, the partnership's facet is
 * evolved with the domain's `evolve`, and the difference between its contribution after and
 * before is added to the one counters document. Nothing scans partnerships.
 */
export const trendsProjection: Projection = {
  name: 'trends',
  version: 1,
  collections: [
    { name: TREND_FACETS, indexes: [{ keys: { 'themes.primary': 1 }, name: 'themes_primary' }] },
    { name: TRENDS, indexes: [] },
  ],

  async apply(recorded: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    const event = asPartnershipEvent(recorded);
    if (!event || !COUNTED_EVENTS.has(event.type)) return;
    const id = event.data.partnershipId;

    const facet = await documents.get<TrendFacet>(TREND_FACETS, id);
    if (!facet && event.type !== 'PartnershipRegistered') return; // nothing to count on an unregistered stream
    const next = evolve(facet ? stateBehind(facet) : initialState, event);
    if (next.status === 'unknown') return;
    const after = facetOf(next);
    states.set(after, next);
    documents.put(TREND_FACETS, after);

    const diff = difference(facet ? contributionOf(facet) : {}, contributionOf(after));
    if (Object.keys(diff).length === 0) return;
    const counters = (await documents.get<TrendCounters>(TRENDS, COUNTERS_ID)) ?? { _id: COUNTERS_ID };
    addToCounters(counters, diff);
    documents.put(TRENDS, counters);
  },
};

export default trendsProjection;

/**
 * The contributions of the facets put lately. The next event of a partnership in the same batch
 * gets back the very facet put (the runtime does not copy documents, and a put one is not
 * changed), so its contribution "before" is known already.
 */
const contributions = new WeakMap<TrendFacet, Contribution>();

/**
 * The domain state each facet put lately was made from, for the same reason: the next event of
 * the partnership in the batch evolves it directly instead of a state rebuilt from the facet.
 * Either gives the same facet (`facetOf` keeps only what `stateOf` restores).
 */
const states = new WeakMap<TrendFacet, ExistingPartnership>();

function stateBehind(facet: TrendFacet): ExistingPartnership {
  return states.get(facet) ?? stateOf(facet);
}

function contributionOf(facet: TrendFacet): Contribution {
  let known = contributions.get(facet);
  if (!known) contributions.set(facet, (known = contribution(facet)));
  return known;
}
