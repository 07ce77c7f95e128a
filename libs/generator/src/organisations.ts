import type { Organisation } from '@registry/domain';
import { MAJOR_GROUPS, type MajorGroup, type PartnerType, type Region } from '@registry/shared-kernel';
import { Random } from './random';
import {
  COUNTRIES_BY_REGION,
  FREQUENT_GOVERNMENTS,
  INTERGOVERNMENTAL,
  NAME_SYLLABLES,
  NAME_TOPICS,
  UN_SYSTEM,
} from './reference-data';

type GeneratedType = MajorGroup | 'other';

/** Organisations of each generated type per partnership of the registry (listings per organisation ~3). */
const POOL_PER_PARTNERSHIP: Readonly<Record<GeneratedType, number>> = {
  'business-industry': 0.45,
  ngo: 0.4,
  'science-technology': 0.2,
  'local-authorities': 0.12,
  women: 0.06,
  'children-youth': 0.05,
  'indigenous-peoples': 0.05,
  'workers-trade-unions': 0.04,
  farmers: 0.06,
  other: 0.5,
};

const ID_PREFIX: Readonly<Record<GeneratedType, string>> = {
  'business-industry': 'business',
  ngo: 'ngo',
  'science-technology': 'science',
  'local-authorities': 'local',
  women: 'women',
  'children-youth': 'youth',
  'indigenous-peoples': 'indigenous',
  'workers-trade-unions': 'workers',
  farmers: 'farmers',
  other: 'other',
};

const NAME_PATTERNS: Readonly<Record<GeneratedType, readonly ((word: string, topic: string) => string)[]>> = {
  'business-industry': [(w, t) => `${w} ${t} Ltd`, (w, t) => `${w} ${t} Group`, (w) => `${w} Industries`],
  ngo: [(w, t) => `${w} ${t} Alliance`, (w, t) => `${t} Action ${w}`, (w, t) => `${w} ${t} Society`],
  'science-technology': [(w, t) => `${w} Institute for ${t} Research`, (w, t) => `${t} Science Centre ${w}`],
  'local-authorities': [(w) => `City of ${w}`, (w) => `${w} District Council`],
  women: [(w, t) => `${w} Women's ${t} Network`],
  'children-youth': [(w, t) => `${w} Youth for ${t}`],
  'indigenous-peoples': [(w) => `${w} Indigenous Peoples' Council`],
  'workers-trade-unions': [(w, t) => `${w} ${t} Workers' Union`],
  farmers: [(w) => `${w} Farmers' Cooperative`],
  other: [(w) => `${w} Foundation`, (w) => `University of ${w}`, (w, t) => `${w} ${t} Media`],
};

const ALL_COUNTRIES: readonly string[] = Object.values(COUNTRIES_BY_REGION).flatMap((list) => list.map(([code]) => code));
const COUNTRY_NAMES = new Map(Object.values(COUNTRIES_BY_REGION).flat());
/** Donors first, so the skewed draw of a global partnership favours them. */
const GOVERNMENTS_BY_PROMINENCE = [...FREQUENT_GOVERNMENTS, ...ALL_COUNTRIES.filter((code) => !FREQUENT_GOVERNMENTS.includes(code))];

/**
 * The shared pool partners are drawn from, so that the same organisation (same id, name, type and
 * country) recurs across partnerships. Governments, UN bodies and IGOs are real; the others are
 * synthetic, each a pure function of (seed, type, index), created on first use.
 */
export class OrganisationPool {
  private readonly sizes: Record<GeneratedType, number>;
  private readonly cache = new Map<GeneratedType, Organisation[]>();

  constructor(
    private readonly seed: number,
    partnerships: number,
  ) {
    this.sizes = Object.fromEntries(
      Object.entries(POOL_PER_PARTNERSHIP).map(([type, perPartnership]) => [type, Math.max(20, Math.round(partnerships * perPartnership))]),
    ) as Record<GeneratedType, number>;
  }

  /** A government, of a country of `region` more often than not when the partnership has one. */
  government(random: Random, region?: Region): Organisation {
    const code =
      region && random.chance(0.7)
        ? random.pick(COUNTRIES_BY_REGION[region])[0]
        : GOVERNMENTS_BY_PROMINENCE[random.skewedIndex(GOVERNMENTS_BY_PROMINENCE.length)];
    return this.governmentOf(code);
  }

  governmentOf(country: string): Organisation {
    return { orgId: `gov-${country.toLowerCase()}`, name: `Government of ${COUNTRY_NAMES.get(country)}`, type: 'government', country };
  }

  draw(random: Random, type: PartnerType, region?: Region): Organisation {
    if (type === 'government') return this.government(random, region);
    if (type === 'un-system' || type === 'igo') {
      const list = type === 'un-system' ? UN_SYSTEM : INTERGOVERNMENTAL;
      const [orgId, name] = list[random.skewedIndex(list.length)];
      return { orgId, name, type };
    }
    return this.generated(type, random.skewedIndex(this.sizes[type]));
  }

  private generated(type: GeneratedType, index: number): Organisation {
    let made = this.cache.get(type);
    if (!made) this.cache.set(type, (made = []));
    let organisation = made[index];
    if (!organisation) {
      // Its own stream, so an organisation is the same whichever partnership met it first.
      const random = new Random(this.seed ^ 0x0a5b1c3d, TYPE_STREAM[type] + index);
      const word = syllables(random);
      const name = random.pick(NAME_PATTERNS[type])(word, random.pick(NAME_TOPICS));
      organisation = { orgId: `${ID_PREFIX[type]}-${index + 1}`, name, type, country: random.pick(ALL_COUNTRIES) };
      made[index] = organisation;
    }
    return organisation;
  }
}

/** Disjoint stream ranges per type: up to 100 million organisations of one type. */
const TYPE_STREAM = Object.fromEntries(
  [...MAJOR_GROUPS, 'other'].map((type, i) => [type, (i + 1) * 100_000_000]),
) as Record<GeneratedType, number>;

function syllables(random: Random): string {
  const count = random.int(2, 3);
  let word = '';
  for (let i = 0; i < count; i++) word += random.pick(NAME_SYLLABLES);
  return word[0].toUpperCase() + word.slice(1);
}

export const countryName = (code: string): string => COUNTRY_NAMES.get(code) ?? code;
export const countriesOf = (region: Region): readonly string[] => COUNTRIES_BY_REGION[region].map(([code]) => code);
