import { expectedFigures, type ImportLine } from '@registry/generator';

const register = (id: string, partners: [orgId: string, type: string, lead?: boolean][], effectiveDate: string): ImportLine => ({
  command: 'RegisterPartnership',
  data: {
    id,
    name: `Partnership ${id}`,
    description: '',
    themes: { primary: ['transport'], secondary: ['energy'] },
    scope: 'regional',
    regions: ['africa'],
    countries: [],
    startDate: effectiveDate,
    endDate: '2030-01-01',
    mechanisms: ['training'],
    partners: partners.map(([orgId, type, lead]) => ({ orgId, name: orgId, type, ...(lead && { lead: true }) })),
  } as Extract<ImportLine, { command: 'RegisterPartnership' }>['data'],
  effectiveDate,
});

describe('expectedFigures (the oracle)', () => {
  const history: ImportLine[] = [
    register('a', [['gov-ke', 'government', true], ['ngo-1', 'ngo'], ['unep', 'un-system']], '2002-09-01'), // 4 events
    register('b', [['gov-ke', 'government', true], ['business-1', 'business-industry']], '2003-01-01'), // 3
    { command: 'JoinPartner', data: { partnershipId: 'a', orgId: 'oecd', name: 'OECD', type: 'igo' }, effectiveDate: '2004-01-01' }, // 1
    { command: 'LeavePartner', data: { partnershipId: 'a', orgId: 'gov-ke', designateLead: 'unep' }, effectiveDate: '2005-01-01' }, // 2
    { command: 'FileReport', data: { partnershipId: 'a', reportId: 'r1', period: { from: '2004-01-01', to: '2004-12-31' }, summary: 's', activities: [] }, effectiveDate: '2006-01-01' }, // 1
    { command: 'FileReport', data: { partnershipId: 'a', reportId: 'r0', period: { from: '2003-01-01', to: '2003-12-31' }, summary: 's', activities: [] }, effectiveDate: '2004-06-01' }, // 1, late filing
    { command: 'AmendPartnership', data: { partnershipId: 'a', endDate: null, resources: null }, effectiveDate: '2003-01-01' }, // 1, back-dated
    { command: 'MergePartnership', data: { partnershipId: 'b', into: 'a' }, effectiveDate: '2007-01-01' }, // 2 + 1 + 2 carried
  ];

  it('folds a history into final states and counts events as the deciders emit them', () => {
    const figures = expectedFigures(history);

    expect(figures).toMatchObject({ lines: 8, events: 4 + 3 + 1 + 2 + 1 + 1 + 1 + 5, registered: 2, active: 1 });
    expect(figures.ended).toEqual({ completed: 0, dissolved: 0, inactive: 0, merged: 1 });
    const a = figures.partnerships.get('a')!;
    expect(a).toMatchObject({ status: 'active', absorbed: ['b'], reports: 2, lastReportOn: '2006-01-01', events: 4 + 1 + 2 + 1 + 1 + 1 + 3 });
    expect(a.details).toMatchObject({ endDate: null, resources: null });
    expect(a.partners).toEqual({
      'ngo-1': { orgId: 'ngo-1', type: 'ngo', lead: false },
      unep: { orgId: 'unep', type: 'un-system', lead: true },
      oecd: { orgId: 'oecd', type: 'igo', lead: false },
      'gov-ke': { orgId: 'gov-ke', type: 'government', lead: false },
      'business-1': { orgId: 'business-1', type: 'business-industry', lead: false },
    });
    expect(figures.partnerships.get('b')).toMatchObject({ status: 'ended', endReason: 'merged', mergedInto: 'a', endedOn: '2007-01-01', events: 5 });
  });

  it('tallies the trends table over registered and over active partnerships', () => {
    const { trends } = expectedFigures(history);

    expect(trends.active).toMatchObject({
      partnerships: 1,
      byRegistrationYear: { 2002: 1 },
      byScope: { regional: 1, global: 0 },
      byRegion: { africa: 1 },
      cluster: { primary: 1, any: 1 },
      duration: { openEnded: 1, fixed: 0 },
      resources: { reported: 0 },
      mechanisms: { training: 1, 'education-awareness': 0 },
      partnersPerPartnership: { '2-10': 1, '11-20': 0 },
    });
    expect(trends.active.themes.primary.transport).toBe(1);
    expect(trends.active.themes.any).toMatchObject({ transport: 1, energy: 1, water: 0 });
    expect(trends.active.partnerTypes).toMatchObject({ government: 1, ngo: 1, 'business-industry': 1, 'major-group': 1, 'un-system': 1, igo: 1, other: 0 });
    expect(trends.active.listings).toMatchObject({ government: 1, 'major-group': 2, total: 5 });
    expect(trends.active.leads).toMatchObject({ 'un-system': 1, total: 1 });
    expect(trends.registered).toMatchObject({ partnerships: 2, byRegistrationYear: { 2002: 1, 2003: 1 }, duration: { openEnded: 1, fixed: 1 } });
    expect(trends.registered.listings.total).toBe(7);
  });

  it('refuses a history it cannot fold in file order', () => {
    const join = (orgId: string, effectiveDate: string): ImportLine => ({
      command: 'JoinPartner',
      data: { partnershipId: 'a', orgId, name: orgId, type: 'ngo' },
      effectiveDate,
    });
    expect(() => expectedFigures([history[0], join('ngo-2', '2004-01-01'), join('ngo-3', '2003-01-01')])).toThrow(/line 3 \(JoinPartner\): membership change/);
    expect(() => expectedFigures([history[0], join('ngo-1', '2004-01-01')])).toThrow(/already a partner/);
    expect(() => expectedFigures([join('ngo-2', '2004-01-01')])).toThrow(/a is not registered/);
    expect(() => expectedFigures([...history, { command: 'EndPartnership', data: { partnershipId: 'b', reason: 'completed' }, effectiveDate: '2008-01-01' }])).toThrow(/b has ended/);
  });
});
