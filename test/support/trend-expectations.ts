import type { ExpectedFigures, PartnershipSummary } from '@registry/generator';
import { MECHANISMS, PARTNER_TYPES, REGIONS, SCOPES, THEMES, isMajorGroup } from '@registry/shared-kernel';

/**
 * What `GET /trends` must answer, computed without the projections' code: from the generator's
 * oracle (`expectedFigures`, a fold of the generated commands), and, for subsets the oracle has no
 * table of (a `?cluster=`), by tallying the oracle's per-partnership summaries here.
 */

type Counts = Record<string, number>;

/** The shape of `GET /trends` (see projections/trends/tables.ts `TrendTables`), spelled out. */
export interface ExpectedTrendTables {
  registered: number;
  active: number;
  byRegistrationYear: Counts;
  byScope: Counts;
  byRegion: Counts;
  themes: { primary: Counts; secondary: Counts; any: Counts };
  partnerTypes: { partnerships: Counts; listings: Counts };
  leads: Counts;
  duration: { openEnded: number; fixed: number };
  resources: { reported: number; financialSecured: number; inKind: number; seekingFunding: number };
  mechanisms: Counts;
  partnersPerPartnership: Counts;
}

/** `GET /trends` reports fewer than two current partners as `0-1`, beside the 2010 report's buckets. */
const BUCKETS = ['0-1', '2-10', '11-20', '21-30', '31+'] as const;
const TYPE_KEYS = [...PARTNER_TYPES, 'major-group'] as const;

/**
 * The oracle's tables in the shape of `GET /trends`: `registered`, `active` and
 * `byRegistrationYear` over every partnership ever registered, the rest over active ones. The
 * oracle has no `0-1` bucket (it refuses a history with a partnership of fewer than two partners),
 * so that key must be 0; its `cluster` counts have no key in `GET /trends` (see `?cluster=`).
 */
export function tablesFromOracle(figures: ExpectedFigures): ExpectedTrendTables {
  const all = figures.trends.registered;
  const active = figures.trends.active;
  if (all.partnerships !== figures.registered || active.partnerships !== figures.active) {
    throw new Error('the oracle disagrees with itself on the number of partnerships');
  }
  return {
    registered: figures.registered,
    active: figures.active,
    byRegistrationYear: all.byRegistrationYear,
    byScope: active.byScope,
    byRegion: active.byRegion,
    themes: active.themes,
    partnerTypes: { partnerships: active.partnerTypes, listings: active.listings },
    leads: active.leads,
    duration: active.duration,
    resources: active.resources,
    mechanisms: active.mechanisms,
    partnersPerPartnership: { '0-1': 0, ...active.partnersPerPartnership },
  };
}

/**
 * The tables over some of the oracle's partnership summaries (e.g. those whose primary themes
 * meet a cluster), counted here from the summaries' final details and partners.
 */
export function tablesFromSummaries(summaries: Iterable<PartnershipSummary>): ExpectedTrendTables {
  const zeros = (keys: readonly string[]): Counts => Object.fromEntries(keys.map((key) => [key, 0]));
  const t: ExpectedTrendTables = {
    registered: 0,
    active: 0,
    byRegistrationYear: {},
    byScope: zeros(SCOPES),
    byRegion: zeros(REGIONS),
    themes: { primary: zeros(THEMES), secondary: zeros(THEMES), any: zeros(THEMES) },
    partnerTypes: { partnerships: zeros(TYPE_KEYS), listings: zeros([...TYPE_KEYS, 'total']) },
    leads: zeros([...TYPE_KEYS, 'total']),
    duration: { openEnded: 0, fixed: 0 },
    resources: { reported: 0, financialSecured: 0, inKind: 0, seekingFunding: 0 },
    mechanisms: zeros(MECHANISMS),
    partnersPerPartnership: zeros(BUCKETS),
  };
  const bump = (counts: Counts, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

  for (const p of summaries) {
    t.registered++;
    bump(t.byRegistrationYear, p.registeredOn.slice(0, 4));
    if (p.status !== 'active') continue;
    t.active++;
    const { details } = p;
    bump(t.byScope, details.scope);
    for (const region of new Set(details.regions)) bump(t.byRegion, region);
    const primary = details.themes.primary;
    const secondary = details.themes.secondary ?? [];
    for (const theme of new Set(primary)) bump(t.themes.primary, theme);
    for (const theme of new Set(secondary)) bump(t.themes.secondary, theme);
    for (const theme of new Set([...primary, ...secondary])) bump(t.themes.any, theme);

    const partners = Object.values(p.partners);
    const typesPresent = new Set<string>();
    for (const { type, lead } of partners) {
      for (const key of isMajorGroup(type) ? [type, 'major-group'] : [type]) {
        typesPresent.add(key);
        bump(t.partnerTypes.listings, key);
        if (lead) bump(t.leads, key);
      }
      bump(t.partnerTypes.listings, 'total');
      if (lead) bump(t.leads, 'total');
    }
    for (const key of typesPresent) bump(t.partnerTypes.partnerships, key);
    const n = partners.length;
    bump(t.partnersPerPartnership, n < 2 ? '0-1' : n <= 10 ? '2-10' : n <= 20 ? '11-20' : n <= 30 ? '21-30' : '31+');

    t.duration[details.endDate == null ? 'openEnded' : 'fixed']++;
    if (details.resources) {
      t.resources.reported++;
      if (details.resources.financialSecured) t.resources.financialSecured++;
      if ((details.resources.inKind ?? []).length > 0) t.resources.inKind++;
      if (details.resources.seekingFunding) t.resources.seekingFunding++;
    }
    for (const mechanism of new Set(details.mechanisms ?? [])) bump(t.mechanisms, mechanism);
  }
  t.byRegistrationYear = Object.fromEntries(Object.entries(t.byRegistrationYear).sort(([a], [b]) => a.localeCompare(b)));
  return t;
}
