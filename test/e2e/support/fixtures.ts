/** A registration as the secretariat would send it, from the Global Mercury Partnership (seed 004). */
export function registration(overrides: Record<string, unknown> = {}) {
  return {
    id: 'gmp-asgm',
    name: 'Global Mercury Partnership: reducing mercury in artisanal and small-scale gold mining',
    description: 'Partnership area of the UNEP Global Mercury Partnership',
    themes: { primary: ['chemicals'], secondary: ['mining', 'health'] },
    scope: 'global',
    regions: [],
    countries: [],
    startDate: '2005-02-25',
    endDate: null,
    mechanisms: ['training', 'technology-transfer'],
    resources: {
      financialSecured: true,
      inKind: ['staff'],
      seekingFunding: true,
      seekingAmount: { amount: 500000, currency: 'USD' },
      fundingSources: ['government', 'igo'],
    },
    partners: [
      { orgId: 'unep', name: 'United Nations Environment Programme', type: 'un-system', lead: true },
      { orgId: 'unido', name: 'United Nations Industrial Development Organization', type: 'un-system' },
    ],
    effectiveDate: '2005-03-01',
    rationale: 'registered after Governing Council decision 23/9',
    ...overrides,
  };
}

export const report = (overrides: Record<string, unknown> = {}) => ({
  period: { from: '2008-01-01', to: '2009-12-31' },
  summary: 'Pilot projects in four countries; training of miners on retorts',
  activities: ['capacity-building', 'technical-cooperation'],
  effectiveDate: '2010-01-15',
  ...overrides,
});
