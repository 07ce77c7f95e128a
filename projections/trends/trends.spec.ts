import { expectedFigures, generateHistory, type ImportLine } from '@registry/generator';
import { InMemoryDocuments } from '@registry/projector';
import { CSD_18_19_CLUSTER } from '@registry/shared-kernel';
import { amended, applyRecorded, ended, joined, leadDesignated, left, merged, org, project, registered, reportFiled } from '../shared/testing/events';
import { recordedHistory } from '../shared/testing/recorded-history';
import { tablesFromOracle } from '../../test/support/trend-expectations';
import {
  contribution,
  trendsProjection,
  trendTables,
  trendTablesFor,
  TREND_FACETS,
  TRENDS,
  type TrendFacet,
  type TrendTables,
} from './index';

const tablesOf = async (documents: InMemoryDocuments): Promise<TrendTables> => trendTables(await documents.get(TRENDS, 'all'));

const UNEP = org('unep', 'un-system');
const USA = org('usa', 'government', 'US');
const ICCT = org('icct', 'ngo');
const IPIECA = org('ipieca', 'business-industry');

/** A registration as the decider emits it: the registered event, then one join per partner. */
const registration = (id: string, date = '2002-09-04', overrides = {}) => [
  registered(id, date, overrides),
  joined(id, UNEP, date, true),
  joined(id, USA, date),
];

describe('trends projection', () => {
  it('counts a registration in every table', async () => {
    const documents = await project(trendsProjection, [registration('pcfv')]);
    const t = await tablesOf(documents);

    expect(t.registered).toBe(1);
    expect(t.active).toBe(1);
    expect(t.byRegistrationYear).toEqual({ 2002: 1 });
    expect(t.byScope).toEqual({ global: 1, regional: 0, subregional: 0, national: 0, local: 0 });
    expect(t.themes.primary.transport).toBe(1);
    expect(t.themes.secondary.health).toBe(1);
    expect(t.themes.any).toMatchObject({ transport: 1, health: 1, water: 0 });
    expect(t.partnerTypes.partnerships).toMatchObject({ government: 1, 'un-system': 1, ngo: 0, 'major-group': 0 });
    expect(t.partnerTypes.listings).toMatchObject({ government: 1, 'un-system': 1, total: 2 });
    expect(t.leads).toMatchObject({ 'un-system': 1, government: 0, total: 1 });
    expect(t.duration).toEqual({ openEnded: 1, fixed: 0 });
    expect(t.resources).toEqual({ reported: 1, financialSecured: 1, inKind: 1, seekingFunding: 0 });
    expect(t.mechanisms).toMatchObject({ 'education-awareness': 1, training: 0 });
    expect(t.partnersPerPartnership).toEqual({ '0-1': 0, '2-10': 1, '11-20': 0, '21-30': 0, '31+': 0 });

    const facet = await documents.get<TrendFacet>(TREND_FACETS, 'pcfv');
    expect(facet).toMatchObject({ _id: 'pcfv', status: 'active', themes: { primary: ['transport'] }, partners: [{ orgId: 'unep', type: 'un-system', lead: true }, { orgId: 'usa', type: 'government', lead: false }] });
  });

  it('moves a partnership between buckets and counts partner types as partners join and leave', async () => {
    const many = Array.from({ length: 9 }, (_, i) => joined('pcfv', org(`ngo-${i}`, 'ngo'), '2003-01-01'));
    let documents = await project(trendsProjection, [registration('pcfv'), many]);
    let t = await tablesOf(documents);
    expect(t.partnersPerPartnership).toMatchObject({ '2-10': 0, '11-20': 1 });
    expect(t.partnerTypes.partnerships).toMatchObject({ ngo: 1, 'major-group': 1 });
    expect(t.partnerTypes.listings).toMatchObject({ ngo: 9, 'major-group': 9, total: 11 });

    documents = await project(trendsProjection, [registration('pcfv'), many, left('pcfv', 'ngo-0', '2004-01-01'), left('pcfv', 'usa', '2004-01-01')]);
    t = await tablesOf(documents);
    expect(t.partnersPerPartnership).toMatchObject({ '2-10': 1, '11-20': 0 });
    expect(t.partnerTypes.partnerships).toMatchObject({ government: 0, ngo: 1 });
    expect(t.partnerTypes.listings).toMatchObject({ government: 0, ngo: 8, total: 9 });
  });

  it('puts a partnership left with one partner in the 0-1 bucket', async () => {
    const documents = await project(trendsProjection, [registration('pcfv'), left('pcfv', 'usa', '2003-01-01')]);
    expect((await tablesOf(documents)).partnersPerPartnership).toMatchObject({ '0-1': 1, '2-10': 0 });
  });

  it('counts a designated lead', async () => {
    const documents = await project(trendsProjection, [registration('pcfv'), joined('pcfv', IPIECA, '2003-01-01'), leadDesignated('pcfv', 'ipieca', '2003-02-01')]);
    const t = await tablesOf(documents);
    expect(t.leads).toMatchObject({ 'un-system': 1, 'business-industry': 1, 'major-group': 1, total: 2 });
  });

  it('moves counts when an amendment changes scope, themes, regions, end date and resources', async () => {
    const documents = await project(trendsProjection, [
      registration('pcfv'),
      amended('pcfv', { scope: 'regional', regions: ['africa'], themes: { primary: ['water'], secondary: [] }, endDate: '2012-12-31', resources: null }, '2004-01-01'),
    ]);
    const t = await tablesOf(documents);
    expect(t.byScope).toMatchObject({ global: 0, regional: 1 });
    expect(t.byRegion).toMatchObject({ africa: 1 });
    expect(t.themes.primary).toMatchObject({ transport: 0, water: 1 });
    expect(t.themes.any).toMatchObject({ transport: 0, health: 0, water: 1 });
    expect(t.duration).toEqual({ openEnded: 0, fixed: 1 });
    expect(t.resources).toEqual({ reported: 0, financialSecured: 0, inKind: 0, seekingFunding: 0 });
  });

  it('ignores a back-dated amendment superseded by a later-effective one (the domain rule)', async () => {
    const documents = await project(trendsProjection, [
      registration('pcfv'),
      amended('pcfv', { scope: 'national' }, '2005-01-01'),
      amended('pcfv', { scope: 'local' }, '2004-01-01'),
    ]);
    expect((await tablesOf(documents)).byScope).toMatchObject({ global: 0, national: 1, local: 0 });
  });

  it('removes an ended partnership from every active count but keeps it in registered', async () => {
    const documents = await project(trendsProjection, [registration('pcfv'), registration('gmp', '2005-03-01'), ended('pcfv', 'completed', '2008-01-01')]);
    const t = await tablesOf(documents);
    expect(t.registered).toBe(2);
    expect(t.active).toBe(1);
    expect(t.byRegistrationYear).toEqual({ 2002: 1, 2005: 1 });
    expect(t.byScope.global).toBe(1);
    expect(t.partnerTypes.listings.total).toBe(2);
    expect(t.leads.total).toBe(1);
    expect(t.themes.primary.transport).toBe(1);
  });

  it('counts a merge: the absorbed partnership ends, the carried partners join the survivor', async () => {
    const documents = await project(trendsProjection, [
      registration('pcfv'),
      [registered('gmp', '2005-03-01'), joined('gmp', UNEP, '2005-03-01', true), joined('gmp', ICCT, '2005-03-01')],
      merged('gmp', 'pcfv', '2006-01-01', [ICCT]),
    ]);
    const t = await tablesOf(documents);
    expect(t.registered).toBe(2);
    expect(t.active).toBe(1);
    expect(t.partnerTypes.listings).toMatchObject({ 'un-system': 1, government: 1, ngo: 1, total: 3 });
  });

  it('does not touch the counters on a report', async () => {
    const documents = await project(trendsProjection, [registration('pcfv')]);
    const before = documents.all(TRENDS);
    const [event] = new (await import('../shared/testing/recorded-history')).RecordedLog().record([reportFiled('pcfv', 'r1', '2003-01-01')]);
    await trendsProjection.apply(event, documents);
    expect(documents.all(TRENDS)).toEqual(before);
  });

  it('trendTablesFor over the facets equals trendTables over the counters', async () => {
    const documents = await project(trendsProjection, [registration('pcfv'), registration('gmp', '2005-03-01', { scope: 'local' }), ended('gmp', 'dissolved', '2007-01-01')]);
    expect(trendTablesFor(documents.all<TrendFacet>(TREND_FACETS))).toEqual(await tablesOf(documents));
  });

  it('contribution of an ended partnership is registered and its year only', () => {
    const facet: TrendFacet = {
      _id: 'x',
      status: 'ended',
      registeredAt: '2003-05-01T00:00:00.000Z',
      themes: { primary: ['water'], secondary: [] },
      scope: 'global',
      regions: [],
      endDate: null,
      resources: null,
      mechanisms: [],
      partners: [{ orgId: 'a', type: 'ngo', lead: true }],
      detailsEffectiveAt: {} as TrendFacet['detailsEffectiveAt'],
    };
    expect(contribution(facet)).toEqual({ registered: 1, 'byRegistrationYear.2003': 1 });
  });
});

describe('trends projection on a generated history', () => {
  const lines: ImportLine[] = [...generateHistory({ partnerships: 300, seed: 7 })];
  const figures = expectedFigures(lines);
  const oracle = figures.trends;
  let documents: InMemoryDocuments;

  beforeAll(async () => {
    documents = new InMemoryDocuments();
    await applyRecorded(trendsProjection, recordedHistory(lines), documents);
  });


  it('has ended some partnerships, so active and registered differ', () => {
    expect(oracle.active.partnerships).toBeLessThan(oracle.registered.partnerships);
    expect(oracle.registered.partnerships).toBe(300);
  });

  it('trendTables(counters) equals the oracle', async () => {
    expect(await tablesOf(documents)).toEqual(tablesFromOracle(figures));
  });

  it('trendTablesFor(all facets) equals the counters', async () => {
    expect(trendTablesFor(documents.all<TrendFacet>(TREND_FACETS))).toEqual(await tablesOf(documents));
  });

  it('the cluster path (facets with a primary cluster theme) counts what the oracle counts', () => {
    const cluster = CSD_18_19_CLUSTER as readonly string[];
    const facets = documents.all<TrendFacet>(TREND_FACETS);
    const primary = facets.filter((f) => f.themes.primary.some((theme) => cluster.includes(theme)));
    const any = facets.filter((f) => [...f.themes.primary, ...f.themes.secondary].some((theme) => cluster.includes(theme)));
    expect(trendTablesFor(primary).active).toBe(oracle.active.cluster.primary);
    expect(trendTablesFor(any).active).toBe(oracle.active.cluster.any);
    expect(trendTablesFor(primary).registered).toBe(oracle.registered.cluster.primary);
  });
});
