import { expectedFigures, generateHistory, type ImportLine, type Trends } from '@registry/generator';

/*
 * 2,000 generated partnerships against the figures of the CSD-18 report (shared/domain.md). The
 * tolerances allow for sampling (±1 point at this size) and for what a partnership's life changes
 * after registration; they are in percentage points.
 */
const N = 2000;
const lines = [...generateHistory({ partnerships: N, seed: 2010 })];
const figures = expectedFigures(lines);
const all: Trends = figures.trends.registered;
const registrations = lines.filter((line): line is Extract<ImportLine, { command: 'RegisterPartnership' }> => line.command === 'RegisterPartnership');
const percent = (count: number, of: number) => (100 * count) / of;

/** The targets that are off, with their actual values: the list should be empty. */
function offTarget(targets: Record<string, [actual: number, target: number, tolerance: number]>): string[] {
  return Object.entries(targets)
    .filter(([, [actual, target, tolerance]]) => Math.abs(actual - target) > tolerance)
    .map(([name, [actual, target, tolerance]]) => `${name}: ${actual.toFixed(1)} % (target ${target} ± ${tolerance})`);
}

describe('generateHistory: the shape of the 2010 report', () => {
  it('registers ~60 % of the pre-2010 partnerships at the Summit, ~10 a year 2005-2008, 4 in 2009, then a trickle', () => {
    const pre2010 = registrations.filter((line) => line.effectiveDate < '2010-02-01');
    const inYear = (year: string) => pre2010.filter((line) => line.effectiveDate.startsWith(year)).length;
    const atSummit = pre2010.filter((line) => line.effectiveDate >= '2002-08-26' && line.effectiveDate <= '2002-09-04').length;

    expect(
      offTarget({
        summit: [percent(atSummit, pre2010.length), 60, 1],
        ...Object.fromEntries(['2005', '2006', '2007', '2008'].map((year) => [year, [percent(inYear(year), pre2010.length), (100 * 10) / 348, 0.5]])),
        2009: [percent(inYear('2009'), pre2010.length), (100 * 4) / 348, 0.3],
      }),
    ).toEqual([]);
    for (let year = 2011; year <= 2025; year++) expect(all.byRegistrationYear[year]).toBeGreaterThan(0);
  });

  it('has the report\'s scopes, regions, durations, resources and mechanisms', () => {
    const regionMentions = Object.values(all.byRegion).reduce((sum, n) => sum + n, 0);
    const scope = (name: keyof Trends['byScope'], published: number) => [percent(all.byScope[name], N), (100 * published) / 105, 3] as [number, number, number];
    const region = (name: keyof Trends['byRegion'], target: number) => [percent(all.byRegion[name], regionMentions), target, 3] as [number, number, number];
    const share = (count: number, target: number, tolerance = 4) => [percent(count, N), target, tolerance] as [number, number, number];

    expect(
      offTarget({
        global: scope('global', 52),
        regional: scope('regional', 20),
        subregional: scope('subregional', 23),
        national: scope('national', 5),
        local: scope('local', 5),
        africa: region('africa', 41),
        asiaPacific: region('asia-pacific', 39),
        latinAmericaCaribbean: region('latin-america-caribbean', 9),
        europeNorthAmerica: region('europe-north-america', 7),
        westernAsia: region('western-asia', 4),
        endDate: share(all.duration.fixed, 63),
        resourcesReported: share(all.resources.reported, 87),
        financialSecured: share(all.resources.financialSecured, 46),
        inKind: share(all.resources.inKind, 38),
        seekingFunding: share(all.resources.seekingFunding, 49),
        education: share(all.mechanisms['education-awareness'], 80),
        training: share(all.mechanisms.training, 69),
        technologyTransfer: share(all.mechanisms['technology-transfer'], 49),
        institutional: share(all.mechanisms['institutional-capacity'], 47),
      }),
    ).toEqual([]);
  });

  it('draws partners from a shared pool, with the report\'s mix of partner types, listings and leads', () => {
    const share = (count: number, target: number) => [percent(count, N), target, 4] as [number, number, number];
    const listing = (count: number, target: number) => [percent(count, all.listings.total), target, 4] as [number, number, number];

    expect(
      offTarget({
        government: share(all.partnerTypes.government, 83),
        majorGroup: share(all.partnerTypes['major-group'], 83),
        unSystem: share(all.partnerTypes['un-system'], 62),
        igo: share(all.partnerTypes.igo, 61),
        other: share(all.partnerTypes.other, 44),
        listingsMajorGroups: listing(all.listings['major-group'], 44),
        listingsGovernments: listing(all.listings.government, 27),
      }),
    ).toEqual([]);

    const buckets = all.partnersPerPartnership;
    expect(percent(buckets['2-10'], N)).toBeGreaterThan(55);
    expect(buckets['11-20'] + buckets['21-30']).toBeGreaterThan(buckets['31+']);
    expect(percent(buckets['31+'], N)).toBeGreaterThan(2);
    expect(percent(buckets['31+'], N)).toBeLessThan(12);

    // The same organisation recurs: far fewer organisations than listings.
    const listings = registrations.flatMap((line) => line.data.partners.map((partner) => partner.orgId));
    expect(new Set(listings).size).toBeLessThan(listings.length / 2);

    for (const { data } of registrations) {
      const leads = data.partners.filter((partner) => partner.lead).length;
      expect(leads).toBeGreaterThanOrEqual(1);
      expect(leads).toBeLessThanOrEqual(3);
    }
    expect(all.leads.total / N).toBeGreaterThan(1.2);
    expect(all.leads.total / N).toBeLessThan(2.2);
  });

  it('gives 1-3 primary and 0-4 secondary themes, never both, with the CSD-18/19 cluster at the report\'s rates', () => {
    for (const { data } of registrations) {
      const { primary, secondary } = data.themes;
      expect(primary.length).toBeGreaterThanOrEqual(1);
      expect(primary.length).toBeLessThanOrEqual(3);
      expect(secondary.length).toBeLessThanOrEqual(4);
      expect(primary.filter((theme) => secondary.includes(theme))).toEqual([]);
    }
    const primary = (theme: keyof Trends['themes']['primary'], published: number) =>
      [percent(all.themes.primary[theme], N), (100 * published) / 348, 2.5] as [number, number, number];
    expect(
      offTarget({
        clusterPrimary: [percent(all.cluster.primary, N), (100 * 74) / 348, 4],
        clusterAny: [percent(all.cluster.any, N), (100 * 170) / 348, 5],
        consumptionProduction: primary('consumption-production', 45),
        waste: primary('waste-management', 19),
        transport: primary('transport', 13),
        mining: primary('mining', 6),
        chemicals: primary('chemicals', 5),
      }),
    ).toEqual([]);
  });

  it('lives on after registration: joins, leaves, leads, regular and missing reports, back-dated amendments and corrections, merges and ends', () => {
    const count = (command: ImportLine['command']) => lines.filter((line) => line.command === command).length;
    expect(count('JoinPartner')).toBeGreaterThan(N);
    expect(count('LeavePartner')).toBeGreaterThan(N / 2);
    expect(count('DesignateLead')).toBeGreaterThan(N / 10);
    expect(count('AmendPartnership')).toBeGreaterThan(N);
    expect(count('MergePartnership')).toBeGreaterThan(N / 100);

    const summaries = [...figures.partnerships.values()];
    const neverReported = summaries.filter((p) => p.reports === 0).length;
    const reportedOften = summaries.filter((p) => p.reports >= 5).length;
    expect(percent(neverReported, N)).toBeGreaterThan(25);
    expect(percent(reportedOften, N)).toBeGreaterThan(15);
    expect(figures.ended).toEqual({ completed: expect.any(Number), dissolved: expect.any(Number), inactive: expect.any(Number), merged: count('MergePartnership') });
    for (const reason of ['completed', 'dissolved', 'inactive'] as const) expect(figures.ended[reason]).toBeGreaterThan(N / 50);
    expect(figures.active).toBe(N - Object.values(figures.ended).reduce((sum, n) => sum + n, 0));

    // Back-dated: an amendment effective before a membership change recorded earlier in the file.
    const lastMembership = new Map<string, string>();
    let backDated = 0;
    for (const line of lines) {
      if (line.command === 'JoinPartner' || line.command === 'LeavePartner' || line.command === 'DesignateLead') {
        lastMembership.set(line.data.partnershipId, line.effectiveDate);
      } else if (line.command === 'AmendPartnership' && line.effectiveDate < (lastMembership.get(line.data.partnershipId) ?? '')) {
        backDated++;
      }
    }
    expect(backDated).toBeGreaterThan(N / 20);
    expect(lines.filter((line) => line.rationale?.startsWith('Correction of the amendment')).length).toBeGreaterThan(N / 20);
  });

  it('appends about 25 events per partnership', () => {
    expect(figures.events / N).toBeGreaterThan(22);
    expect(figures.events / N).toBeLessThan(28);
  });
});
