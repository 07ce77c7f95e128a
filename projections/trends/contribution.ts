import type { ExistingPartnership, Instant, PartnershipDetails, Themes } from '@registry/domain';
import {
  isMajorGroup,
  type InKindResource,
  type Mechanism,
  type PartnerType,
  type Region,
  type Scope,
} from '@registry/shared-kernel';
import type { ProjectionDocument } from '@registry/projector';

/** The detail attributes the trend tables count; the rest of a partnership's details is not kept. */
export const COUNTED_DETAILS = ['themes', 'scope', 'regions', 'endDate', 'resources', 'mechanisms'] as const;
export type CountedDetail = (typeof COUNTED_DETAILS)[number];

/**
 * Collection `trend_facets`, one per partnership (`_id` = partnershipId): what counting needs of
 * its domain state, plus when each counted attribute took effect (so an amendment is applied with
 * the domain's own effective-order rule, by `evolve`).
 */
export interface TrendFacet extends ProjectionDocument {
  status: 'active' | 'ended';
  registeredAt: Instant;
  themes: Themes;
  scope: Scope;
  regions: Region[];
  endDate: string | null;
  resources: { financialSecured: boolean; inKind: InKindResource[]; seekingFunding: boolean } | null;
  mechanisms: Mechanism[];
  /** Current partners, sorted by orgId (an array: an orgId may contain a dot, unfit for a field name). */
  partners: { orgId: string; type: PartnerType; lead: boolean }[];
  detailsEffectiveAt: Record<CountedDetail, Instant>;
}

/** Flat counter keys (`byScope.global`, `themes.any.water`, …) to what one partnership adds. */
export type Contribution = Record<string, number>;

export const PARTNER_BUCKETS = ['0-1', '2-10', '11-20', '21-30', '31+'] as const;
export type PartnerBucket = (typeof PARTNER_BUCKETS)[number];

/**
 * A partnership with fewer than two current partners (the registry allows one: a registration
 * needs only a lead) goes to `0-1`, reported beside the report's four buckets rather than folded
 * into `2-10`, so the published buckets keep their meaning and nothing is silently dropped.
 */
export function partnerBucket(partners: number): PartnerBucket {
  return partners < 2 ? '0-1' : partners <= 10 ? '2-10' : partners <= 20 ? '11-20' : partners <= 30 ? '21-30' : '31+';
}

/**
 * `prefix + code`, each built once: counting on interned keys spares a new string (and its
 * hashing) for every counter of every partnership. The codes come from small vocabularies.
 */
function keysOf(prefix: string): (code: string) => string {
  const keys = new Map<string, string>();
  return (code) => {
    let key = keys.get(code);
    if (key === undefined) keys.set(code, (key = prefix + code));
    return key;
  };
}

const KEY = {
  year: keysOf('byRegistrationYear.'),
  scope: keysOf('byScope.'),
  region: keysOf('byRegion.'),
  primary: keysOf('themes.primary.'),
  secondary: keysOf('themes.secondary.'),
  any: keysOf('themes.any.'),
  listings: keysOf('partnerTypes.listings.'),
  leads: keysOf('leads.'),
  partnerships: keysOf('partnerTypes.partnerships.'),
  bucket: keysOf('partnersPerPartnership.'),
  mechanism: keysOf('mechanisms.'),
};

/**
 * What one partnership adds to the counters. Pure. Every partnership ever registered counts in
 * `registered` and `byRegistrationYear`; everything else counts active partnerships only.
 */
export function contribution(facet: TrendFacet): Contribution {
  // A dictionary from the start: partnerships add their keys in varying orders, which on a `{}`
  // would walk (and keep growing) the engine's hidden-class transitions at every key.
  const c: Contribution = Object.create(null);
  const add = (key: string) => {
    c[key] = (c[key] ?? 0) + 1;
  };
  add('registered');
  add(KEY.year(facet.registeredAt.slice(0, 4)));
  if (facet.status !== 'active') return c;

  add('active');
  add(KEY.scope(facet.scope));
  for (const region of new Set(facet.regions)) add(KEY.region(region));
  const { primary, secondary } = facet.themes;
  for (const theme of new Set(primary)) add(KEY.primary(theme));
  for (const theme of new Set(secondary)) add(KEY.secondary(theme));
  for (const theme of new Set([...primary, ...secondary])) add(KEY.any(theme));

  const present = new Set<string>();
  const partners = facet.partners;
  const count = (key: string, lead: boolean) => {
    present.add(key);
    add(KEY.listings(key));
    if (lead) add(KEY.leads(key));
  };
  for (const { type, lead } of partners) {
    count(type, lead);
    if (isMajorGroup(type)) count('major-group', lead);
    add('partnerTypes.listings.total');
    if (lead) add('leads.total');
  }
  for (const key of present) add(KEY.partnerships(key));
  add(KEY.bucket(partnerBucket(partners.length)));

  add(facet.endDate == null ? 'duration.openEnded' : 'duration.fixed');
  if (facet.resources) {
    add('resources.reported');
    if (facet.resources.financialSecured) add('resources.financialSecured');
    if (facet.resources.inKind.length > 0) add('resources.inKind');
    if (facet.resources.seekingFunding) add('resources.seekingFunding');
  }
  for (const mechanism of new Set(facet.mechanisms)) add(KEY.mechanism(mechanism));
  return c;
}

/** after − before, without the zeros. */
export function difference(before: Contribution, after: Contribution): Contribution {
  const diff: Contribution = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) diff[key] = delta;
  }
  return diff;
}

// --- facet <-> domain state, so `evolve` decides what an event does ---

export function facetOf(state: ExistingPartnership): TrendFacet {
  const { details } = state;
  return {
    _id: state.partnershipId,
    status: state.status,
    registeredAt: state.registeredAt,
    themes: { primary: [...details.themes.primary], secondary: [...(details.themes.secondary ?? [])] },
    scope: details.scope,
    regions: [...(details.regions ?? [])],
    endDate: details.endDate ?? null,
    resources: details.resources
      ? {
          financialSecured: details.resources.financialSecured,
          inKind: [...(details.resources.inKind ?? [])],
          seekingFunding: details.resources.seekingFunding,
        }
      : null,
    mechanisms: [...(details.mechanisms ?? [])],
    partners: Object.values(state.partners)
      .map(({ orgId, type, lead }) => ({ orgId, type, lead }))
      .sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0)),
    detailsEffectiveAt: Object.fromEntries(COUNTED_DETAILS.map((key) => [key, state.detailsEffectiveAt[key] ?? state.registeredAt])) as TrendFacet['detailsEffectiveAt'],
  };
}

/**
 * The facet as a domain state `evolve` can take. Attributes the facet does not keep are blank;
 * `evolve` never reads them to decide a counted attribute, and `facetOf` drops them again.
 */
export function stateOf(facet: TrendFacet): ExistingPartnership {
  const details: PartnershipDetails = {
    name: '',
    description: '',
    themes: facet.themes,
    scope: facet.scope,
    regions: facet.regions,
    countries: [],
    startDate: '',
    endDate: facet.endDate,
    resources: facet.resources && { ...facet.resources, fundingSources: [] },
    mechanisms: facet.mechanisms,
  };
  return {
    status: facet.status,
    partnershipId: facet._id,
    details,
    // Only the counted attributes have a date: an amendment of another one always applies (and is dropped).
    detailsEffectiveAt: { ...facet.detailsEffectiveAt } as ExistingPartnership['detailsEffectiveAt'],
    partners: Object.fromEntries(facet.partners.map(({ orgId, type, lead }) => [orgId, { orgId, name: '', type, lead }])),
    registeredAt: facet.registeredAt,
    lastMembershipChangeAt: facet.registeredAt,
    lastEffectiveAt: facet.registeredAt,
    reportIds: [],
    lastReportAt: null,
    endReason: null,
    mergedInto: null,
    absorbed: [],
  };
}
