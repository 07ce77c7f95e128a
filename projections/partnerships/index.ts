import { type EndReason, type ExistingPartnership, initialState, type Partner, type PartnershipDetails } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocuments } from '@registry/projector';
import { AUDIT, AUDIT_COLLECTION, auditDocument } from '../audit';
import { alreadyApplied, foldEvent, isExisting, isPartnershipEvent, type PositionedDocument } from '../shared/partnership-state';

export const PARTNERSHIPS = 'partnerships';

/** A partner as listed on a partnership. */
export interface PartnerView {
  orgId: string;
  name: string;
  type: Partner['type'];
  country?: string;
  lead: boolean;
}

/**
 * One partnership as it currently stands (`_id` = partnership id): every attribute, the current
 * partners, lifecycle and reporting. With `_fold` (what the domain state has that the view does
 * not show) it gives back the domain state it was made from (`stateOfDocument`), so the next
 * event is folded with `evolve` without a second copy of the partnership in the document; queries
 * leave `_fold` out.
 */
export interface PartnershipDocument extends PositionedDocument, PartnershipDetails {
  _id: string;
  partners: PartnerView[];
  leadCount: number;
  partnerCount: number;
  status: 'active' | 'ended';
  endReason: EndReason | null;
  /** effectiveAt of `PartnershipEnded`. */
  endedAt: string | null;
  mergedInto: string | null;
  absorbedFrom: string[];
  /** effectiveAt of the registration. */
  registeredAt: string;
  registeredYear: number;
  /** Latest effectiveAt of a report, null before the first. */
  lastReportAt: string | null;
  reportCount: number;
  /** Stream version of the last event applied (the partnership's ETag). */
  version: number;
  /** recordedAt of the last event applied. */
  updatedAt: string;
  /** Lowercase name, description and partner names, for the `q` filter. */
  searchText: string;
  _fold: FoldBookkeeping;
}

/** The parts of the domain state a partnership document does not show. */
export type FoldBookkeeping = Pick<ExistingPartnership, 'detailsEffectiveAt' | 'lastMembershipChangeAt' | 'lastEffectiveAt' | 'reportIds'>;

/** The filters of `GET /partnerships` (current or as of a point). */
export interface PartnershipListFilter {
  status?: 'active' | 'ended';
  /** Primary or secondary. */
  theme?: string;
  primaryTheme?: string;
  scope?: string;
  region?: string;
  country?: string;
  /** Organisation id of a partner (of the partnership as it stands, or stood at the point). */
  partner?: string;
  /** Words in name, description and partner names (all must occur). */
  q?: string;
}

/** The MongoDB filter on partnership documents for the list's filters (tested with mingo as of a point). */
export function partnershipListFilter(filter: PartnershipListFilter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.status) query.status = filter.status;
  if (filter.theme) query.$or = [{ 'themes.primary': filter.theme }, { 'themes.secondary': filter.theme }];
  if (filter.primaryTheme) query['themes.primary'] = filter.primaryTheme;
  if (filter.scope) query.scope = filter.scope;
  if (filter.region) query.regions = filter.region;
  if (filter.country) query.countries = filter.country;
  if (filter.partner) query['partners.orgId'] = filter.partner;
  const words = filter.q?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) query.$and = words.map((word) => ({ searchText: { $regex: escapeRegex(word) } }));
  return query;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const partnershipsProjection: Projection = {
  name: 'partnerships',
  // 2: an index on updatedAt (a sort of GET /partnerships), so the disk-backed store sorts on keys.
  // 3: `_fold` instead of a whole copy of the domain state (`_state`): 3.5 KB a document instead of 5.8 (10,000 generated).
  // 4: the audit trail too (see `AUDIT`), diffed from the state folded here; first, so that
  //    MongoDB has an event's audit document before the partnership that says it was applied.
  // 5: the audit's indexes on actor, recordedAt and correlationId dropped (no query used them).
  version: 5,
  collections: [
    AUDIT_COLLECTION,
    {
      name: PARTNERSHIPS,
      indexes: [
        { keys: { status: 1 }, name: 'status' },
        { keys: { 'themes.primary': 1 }, name: 'themes_primary' },
        { keys: { 'themes.secondary': 1 }, name: 'themes_secondary' },
        { keys: { scope: 1 }, name: 'scope' },
        { keys: { regions: 1 }, name: 'regions' },
        { keys: { countries: 1 }, name: 'countries' },
        { keys: { 'partners.orgId': 1 }, name: 'partners_orgId' },
        { keys: { registeredAt: 1 }, name: 'registeredAt' },
        { keys: { updatedAt: 1 }, name: 'updatedAt' },
        { keys: { name: 1 }, name: 'name' },
      ],
    },
  ],

  async apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    if (!isPartnershipEvent(event)) return;
    const previous = await documents.get<PartnershipDocument>(PARTNERSHIPS, event.streamId);
    if (alreadyApplied(previous, event)) return;

    const before = previous ? stateOfDocument(previous) : initialState;
    const state = foldEvent(before, event);
    documents.put(AUDIT, auditDocument(event, before, state));
    if (!isExisting(state)) return; // nothing is recorded on a stream before its registration

    const endedAt = event.type === 'PartnershipEnded' ? event.metadata.effectiveAt : (previous?.endedAt ?? null);
    documents.put(PARTNERSHIPS, toDocument(state, event, endedAt, previous ? { state: before as ExistingPartnership, document: previous } : undefined));
  },
};

/** The document of a partnership and the state it was made from (see `stateOfDocument`). */
export interface PreviousDocument {
  state: ExistingPartnership;
  document: PartnershipDocument;
}

/**
 * The document of `state`. Given the previous document and the state made from it, the parts
 * `evolve` left as they were (the details, the partners, the absorbed ids: the same objects) are
 * the previous document's own, not copies: most events (a report, an amendment of one field)
 * change little, and a partnership's document is kept in the read store's cache until the next
 * event replaces it, seconds later, long enough for the garbage collector to move what is new in
 * it to the old generation. Documents are never changed in place, so sharing is safe.
 */
export function toDocument(state: ExistingPartnership, last: RecordedEvent, endedAt: string | null, previous?: PreviousDocument): PartnershipDocument {
  const sameDetails = previous !== undefined && state.details === previous.state.details;
  const samePartners = previous !== undefined && state.partners === previous.state.partners;
  const partners = samePartners ? previous.document.partners : partnerViews(state);
  return {
    _id: state.partnershipId,
    ...(sameDetails ? detailsOfDocument(previous.document) : detailsOf(state)),
    partners,
    leadCount: samePartners ? previous.document.leadCount : partners.filter((partner) => partner.lead).length,
    partnerCount: partners.length,
    status: state.status,
    endReason: state.endReason,
    endedAt,
    mergedInto: state.mergedInto,
    absorbedFrom: previous !== undefined && state.absorbed === previous.state.absorbed ? previous.document.absorbedFrom : [...state.absorbed],
    registeredAt: state.registeredAt,
    registeredYear: new Date(state.registeredAt).getUTCFullYear(),
    lastReportAt: state.lastReportAt,
    reportCount: state.reportIds.length,
    version: last.streamVersion,
    updatedAt: last.metadata.recordedAt,
    lastPosition: last.globalPosition,
    searchText:
      sameDetails && samePartners
        ? previous.document.searchText
        : [state.details.name, state.details.description ?? '', ...partners.map((partner) => partner.name)].join(' ').toLowerCase(),
    _fold: {
      detailsEffectiveAt: state.detailsEffectiveAt,
      lastMembershipChangeAt: state.lastMembershipChangeAt,
      lastEffectiveAt: state.lastEffectiveAt,
      reportIds: state.reportIds,
    },
  };
}

type DetailsView = Pick<
  PartnershipDocument,
  'name' | 'description' | 'themes' | 'scope' | 'regions' | 'countries' | 'startDate' | 'endDate' | 'resources' | 'mechanisms'
>;

function detailsOf({ details }: ExistingPartnership): DetailsView {
  return {
    name: details.name,
    description: details.description ?? '',
    themes: { primary: [...details.themes.primary], secondary: [...details.themes.secondary] },
    scope: details.scope,
    regions: [...details.regions],
    countries: [...details.countries],
    startDate: details.startDate,
    endDate: details.endDate ?? null,
    resources: details.resources ?? null,
    mechanisms: [...details.mechanisms],
  };
}

function detailsOfDocument(document: PartnershipDocument): DetailsView {
  const { name, description, themes, scope, regions, countries, startDate, endDate, resources, mechanisms } = document;
  return { name, description, themes, scope, regions, countries, startDate, endDate, resources, mechanisms };
}

function partnerViews(state: ExistingPartnership): PartnerView[] {
  return Object.values(state.partners)
    .sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0))
    .map(({ orgId, name, type, country, lead }) => ({ orgId, name, type, ...(country === undefined ? {} : { country }), lead }));
}

/**
 * The domain state a document was made from, up to what `toDocument` makes the same document of
 * (an absent description is '', an absent end date or resources null), so folding the next event
 * into it gives the document folding it into the original state would: `evolve` never decides on
 * those values, it only carries them.
 */
export function stateOfDocument(document: PartnershipDocument): ExistingPartnership {
  return {
    status: document.status,
    partnershipId: document._id,
    details: {
      name: document.name,
      description: document.description,
      themes: document.themes,
      scope: document.scope,
      regions: document.regions,
      countries: document.countries,
      startDate: document.startDate,
      endDate: document.endDate,
      resources: document.resources,
      mechanisms: document.mechanisms,
    },
    ...document._fold,
    partners: Object.fromEntries(document.partners.map((partner) => [partner.orgId, partner])),
    registeredAt: document.registeredAt,
    lastReportAt: document.lastReportAt,
    endReason: document.endReason,
    mergedInto: document.mergedInto,
    absorbed: document.absorbedFrom,
  };
}
