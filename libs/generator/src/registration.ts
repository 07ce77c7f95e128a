import type { Organisation, PartnershipDetails, Resources, Themes } from '@registry/domain';
import {
  CSD_18_19_CLUSTER,
  FUNDING_SOURCES,
  MECHANISMS as MECHANISM_CODES,
  isMajorGroup,
  type MajorGroup,
  type PartnerType,
  type Region,
  type Scope,
  type Theme,
} from '@registry/shared-kernel';
import { dateOf, years, type Day } from './calendar';
import { countriesOf, countryName, type OrganisationPool } from './organisations';
import * as P from './parameters';
import { Random, Weighted } from './random';
import { themeLabel } from './texts';

export interface Member {
  organisation: Organisation;
  lead: boolean;
}

export interface Registration {
  details: PartnershipDetails;
  /** Where its governments tend to come from: its region, or its country's. */
  homeRegion?: Region;
  partners: Member[];
}

const scopes = Weighted.of(P.SCOPES);
const regionWeights = Weighted.of(P.REGIONS);
const primaryCount = new Weighted(Object.entries(P.PRIMARY_THEME_COUNT).map(([n, w]) => [Number(n), w] as const));
const secondaryCount = new Weighted(Object.entries(P.SECONDARY_THEME_COUNT).map(([n, w]) => [Number(n), w] as const));
const leadCount = new Weighted(Object.entries(P.LEAD_COUNT).map(([n, w]) => [Number(n), w] as const));
const partnerCount = new Weighted(P.PARTNER_COUNT.map((range) => [range, range.weight] as const));
export const primaryThemes = Weighted.of(P.PRIMARY_THEMES);
export const secondaryThemes = Weighted.of(P.SECONDARY_THEMES);
const clusterThemes = new Weighted<Theme>(CSD_18_19_CLUSTER.map((theme) => [theme, P.PRIMARY_THEMES[theme]] as const));
const isCluster = (theme: Theme) => (CSD_18_19_CLUSTER as readonly Theme[]).includes(theme);
const listings = Weighted.of(P.CATEGORY_LISTINGS);
const majorGroups = Weighted.of(P.MAJOR_GROUP_PRESENT);
const FORMS = ['Partnership', 'Initiative', 'Programme', 'Network', 'Alliance', 'Facility'];
const REGION_NAMES: Readonly<Record<Region, string>> = {
  africa: 'Africa',
  'asia-pacific': 'Asia and the Pacific',
  'latin-america-caribbean': 'Latin America and the Caribbean',
  'europe-north-america': 'Europe and North America',
  'western-asia': 'Western Asia',
};

export function drawRegistration(random: Random, pool: OrganisationPool, registeredOn: Day): Registration {
  const scope = scopes.draw(random);
  const { homeRegion, regions, countries } = drawPlace(random, scope);
  const themes = drawThemes(random);
  const started = random.chance(P.STARTED_BEFORE_REGISTRATION) ? registeredOn - random.int(30, 1500) : registeredOn;
  const form = random.pick(FORMS);
  const where = homeRegion === undefined ? '' : countries.length === 1 ? ` in ${countryName(countries[0])}` : ` for ${REGION_NAMES[homeRegion]}`;
  const details: PartnershipDetails = {
    name: `${scope === 'global' ? 'Global ' : ''}${form} on ${themeLabel(themes.primary[0])}${where}`,
    description: `${form} of governments, organisations and civil society on ${listOf([...themes.primary, ...themes.secondary])}.`,
    themes,
    scope,
    regions,
    countries,
    startDate: dateOf(started),
    endDate: random.chance(P.END_DATE) ? dateOf(endOfTerm(random, started, registeredOn)) : null,
    resources: random.chance(P.RESOURCES_GIVEN) ? drawResources(random) : null,
    mechanisms: MECHANISM_CODES.filter((mechanism) => random.chance(P.MECHANISMS[mechanism])),
  };
  return { details, homeRegion, partners: drawPartners(random, pool, homeRegion, countries) };
}

/** Regions for regional and subregional partnerships; countries for subregional, national and local ones. */
function drawPlace(random: Random, scope: Scope): { homeRegion?: Region; regions: Region[]; countries: string[] } {
  if (scope === 'global') return { regions: [], countries: [] };
  const homeRegion = regionWeights.draw(random);
  if (scope === 'national' || scope === 'local') return { homeRegion, regions: [], countries: [random.pick(countriesOf(homeRegion))] };
  if (scope === 'subregional') return { homeRegion, regions: [homeRegion], countries: distinct(random, countriesOf(homeRegion), random.int(3, 8)) };
  const second = random.chance(P.SECOND_REGION) ? regionWeights.drawDistinct(random, 1, [homeRegion]) : [];
  return { homeRegion, regions: [homeRegion, ...second], countries: [] };
}

/** 1-3 primary themes, then 0-4 secondary ones among the others. */
function drawThemes(random: Random): Themes {
  const primary = primaryThemes.drawDistinct(random, primaryCount.draw(random));
  const other = primary.findIndex((theme) => !isCluster(theme));
  if (other > 0 && primary.some(isCluster) && random.chance(P.SECOND_CLUSTER_PRIMARY)) {
    primary[other] = clusterThemes.drawDistinct(random, 1, primary)[0] ?? primary[other];
  }
  return { primary, secondary: secondaryThemes.drawDistinct(random, secondaryCount.draw(random), primary) };
}

/** A fixed term of 2-15 years that runs at least a year past registration. */
function endOfTerm(random: Random, started: Day, registeredOn: Day): Day {
  return Math.max(started + random.int(years(2), years(15)), registeredOn + random.int(years(1), years(4)));
}

export function drawResources(random: Random): Resources {
  const seekingFunding = random.chance(P.SEEKING_FUNDING);
  return {
    financialSecured: random.chance(P.FINANCIAL_SECURED),
    inKind: random.chance(P.IN_KIND) ? someOf(random, P.IN_KIND_RESOURCES) : [],
    seekingFunding,
    ...(seekingFunding && random.chance(P.SEEKING_AMOUNT) && { seekingAmount: { amount: random.int(1, 200) * 50_000, currency: 'USD' } }),
    fundingSources: FUNDING_SOURCES.filter(() => random.chance(0.3)),
  };
}

/**
 * The categories present are drawn first (so that 83 % have a government, whatever their size),
 * one partner each, then the remaining places among those categories.
 */
function drawPartners(random: Random, pool: OrganisationPool, homeRegion: Region | undefined, countries: string[]): Member[] {
  const categories = (Object.keys(P.CATEGORY_PRESENT) as P.PartnerCategory[]).filter((c) => random.chance(P.CATEGORY_PRESENT[c]));
  if (categories.length === 0) categories.push('major-group');
  const groups = (Object.keys(P.MAJOR_GROUP_PRESENT) as MajorGroup[]).filter((g) => random.chance(P.MAJOR_GROUP_PRESENT[g]));
  if (groups.length === 0) groups.push(majorGroups.draw(random));

  const types: PartnerType[] = categories.flatMap((c): PartnerType[] => (c === 'major-group' ? groups : [c]));
  const range = partnerCount.draw(random);
  const wanted = Math.max(random.int(range.min, range.max), types.length);
  const present = new Weighted(categories.map((c) => [c, P.CATEGORY_LISTINGS[c]] as const));
  while (types.length < wanted) {
    const category = present.draw(random);
    types.push(category === 'major-group' ? random.pick(groups) : category);
  }

  const partners = new Map<string, Organisation>();
  // A national partnership has its own government among the partners.
  if (countries.length === 1 && categories.includes('government')) {
    const own = pool.governmentOf(countries[0]);
    partners.set(own.orgId, own);
    types.splice(types.indexOf('government'), 1);
  }
  for (const type of types) {
    const organisation = drawNew(random, pool, type, homeRegion, partners);
    if (organisation) partners.set(organisation.orgId, organisation);
  }
  while (partners.size < 2) {
    const organisation = drawNew(random, pool, 'ngo', homeRegion, partners);
    if (organisation) partners.set(organisation.orgId, organisation);
  }

  const members = [...partners.values()].map((organisation) => ({ organisation, lead: false }));
  const byLeadWeight = new Weighted(members.map((member, i) => [i, P.LEAD_WEIGHT[categoryOf(member.organisation.type)]] as const));
  for (const i of byLeadWeight.drawDistinct(random, leadCount.draw(random))) members[i].lead = true;
  return members;
}

/** An organisation of `type` not yet among `taken`; undefined when a few draws only find partners. */
export function drawNew(
  random: Random,
  pool: OrganisationPool,
  type: PartnerType,
  homeRegion: Region | undefined,
  taken: { has(orgId: string): boolean },
): Organisation | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const organisation = pool.draw(random, type, homeRegion);
    if (!taken.has(organisation.orgId)) return organisation;
  }
  return undefined;
}

/** A newcomer's type, with the listing weights; a major group is mostly one already among the partners. */
export function drawPartnerType(random: Random, groupsPresent: readonly MajorGroup[]): PartnerType {
  const category = listings.draw(random);
  if (category !== 'major-group') return category;
  return groupsPresent.length > 0 && random.chance(0.75) ? random.pick(groupsPresent) : majorGroups.draw(random);
}

export function categoryOf(type: PartnerType): P.PartnerCategory {
  return isMajorGroup(type) ? 'major-group' : (type as P.PartnerCategory);
}

function distinct<T>(random: Random, items: readonly T[], count: number): T[] {
  return new Weighted(items.map((item) => [item, 1] as const)).drawDistinct(random, count);
}

/** At least one of `items`, in their canonical order (amendments compare values as JSON). */
function someOf<T>(random: Random, items: readonly T[]): T[] {
  const chosen = distinct(random, items, random.int(1, items.length - 1));
  return items.filter((item) => chosen.includes(item));
}

function listOf(themes: Theme[]): string {
  const labels = themes.map((theme) => themeLabel(theme).toLowerCase());
  return labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
