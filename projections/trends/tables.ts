import {
  MECHANISMS,
  PARTNER_TYPES,
  REGIONS,
  SCOPES,
  THEMES,
} from '@registry/shared-kernel';
import type { ProjectionDocument } from '@registry/projector';
import { contribution, PARTNER_BUCKETS, type Contribution, type TrendFacet } from './contribution';

/**
 * Collection `trends`, the one document `_id: 'all'`: the counters, nested by the dotted key
 * (`{ byScope: { global: 3 }, themes: { any: { water: 2 } }, … }`). Never scanned for partnerships.
 */
export interface TrendCounters extends ProjectionDocument {
  [group: string]: unknown;
}

export const COUNTERS_ID = 'all';

/** Counter keys split into paths, each once: they are few (codes of the vocabulary, years). */
const paths = new Map<string, string[]>();

/** Adds a difference to the nested counters, in place. */
export function addToCounters(counters: Record<string, unknown>, diff: Contribution): void {
  for (const [key, delta] of Object.entries(diff)) {
    let path = paths.get(key);
    if (!path) paths.set(key, (path = key.split('.')));
    let node = counters;
    for (let depth = 0; depth < path.length - 1; depth++) {
      const part = path[depth];
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1];
    node[leaf] = (typeof node[leaf] === 'number' ? (node[leaf] as number) : 0) + delta;
  }
}

type Counts<K extends string> = Record<K, number>;
type TypeKey = (typeof PARTNER_TYPES)[number] | 'major-group';

/** What `GET /trends` returns. Every code of the vocabulary is present, zeros included. */
export interface TrendTables {
  /** Partnerships ever registered, ended ones included. */
  registered: number;
  /** Partnerships not ended. Every count below is over these, except `byRegistrationYear`. */
  active: number;
  /** Over registered partnerships; years in ascending order. */
  byRegistrationYear: Record<string, number>;
  byScope: Counts<(typeof SCOPES)[number]>;
  /** Partnerships naming the region (one may name several). */
  byRegion: Counts<(typeof REGIONS)[number]>;
  themes: { primary: Record<string, number>; secondary: Record<string, number>; any: Record<string, number> };
  partnerTypes: {
    /** Partnerships with at least one current partner of the type; `major-group`: of any of the nine. */
    partnerships: Counts<TypeKey>;
    /** Current partner listings by type (an organisation in n partnerships counts n times). */
    listings: Counts<TypeKey> & { total: number };
  };
  /** Current lead listings by type. */
  leads: Counts<TypeKey> & { total: number };
  duration: { openEnded: number; fixed: number };
  resources: { reported: number; financialSecured: number; inKind: number; seekingFunding: number };
  mechanisms: Counts<(typeof MECHANISMS)[number]>;
  /** By number of current partners; `0-1` is outside the report's buckets (see `partnerBucket`). */
  partnersPerPartnership: Counts<(typeof PARTNER_BUCKETS)[number]>;
}

const TYPE_KEYS = [...PARTNER_TYPES, 'major-group'] as const;

/** Shapes the counters document into the tables (pure; zero-fills every code). */
export function trendTables(counters: Record<string, unknown> | null | undefined): TrendTables {
  const c = counters ?? {};
  const num = (value: unknown) => (typeof value === 'number' ? value : 0);
  const group = (path: string): Record<string, unknown> => {
    let node: unknown = c;
    for (const part of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
  };
  /** The codes in order, zero-filled, then any other key the counters hold (e.g. another taxonomy). */
  const counts = <K extends string>(path: string, keys: readonly K[]): Counts<K> => {
    const found = group(path);
    const out = Object.fromEntries(keys.map((key) => [key, num(found[key])])) as Record<string, number>;
    for (const [key, value] of Object.entries(found)) if (!(key in out)) out[key] = num(value);
    return out as Counts<K>;
  };
  const years = group('byRegistrationYear');

  return {
    registered: num(c.registered),
    active: num(c.active),
    byRegistrationYear: Object.fromEntries(
      Object.keys(years)
        .sort()
        .map((year) => [year, num(years[year])]),
    ),
    byScope: counts('byScope', SCOPES),
    byRegion: counts('byRegion', REGIONS),
    themes: {
      primary: counts('themes.primary', THEMES),
      secondary: counts('themes.secondary', THEMES),
      any: counts('themes.any', THEMES),
    },
    partnerTypes: {
      partnerships: counts('partnerTypes.partnerships', TYPE_KEYS),
      listings: counts('partnerTypes.listings', [...TYPE_KEYS, 'total'] as const),
    },
    leads: counts('leads', [...TYPE_KEYS, 'total'] as const),
    duration: counts('duration', ['openEnded', 'fixed'] as const),
    resources: counts('resources', ['reported', 'financialSecured', 'inKind', 'seekingFunding'] as const),
    mechanisms: counts('mechanisms', MECHANISMS),
    partnersPerPartnership: counts('partnersPerPartnership', PARTNER_BUCKETS),
  };
}

/**
 * The same tables over a given set of facet documents (e.g. those `clusterFacetFilter` finds):
 * sums their contributions. For a filtered subset only; the whole registry is `trendTables(counters)`.
 */
export function trendTablesFor(facets: Iterable<TrendFacet>): TrendTables {
  const counters: Record<string, unknown> = {};
  for (const facet of facets) addToCounters(counters, contribution(facet));
  return trendTables(counters);
}

/**
 * The filter on `trend_facets` (indexed on `themes.primary`) for `GET /trends?cluster=…`: the
 * partnerships with at least one primary theme in the cluster, ended ones included (they count
 * in `registered` only).
 */
export function clusterFacetFilter(themes: readonly string[]): Record<string, unknown> {
  return { 'themes.primary': { $in: [...themes] } };
}
