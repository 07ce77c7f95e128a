import { decide, decideMerge } from './decide';
import type { PartnershipEvent } from './events';
import type { SingleStreamCommand } from './commands';
import { evolve, initialState, type ExistingPartnership, type PartnershipState } from './state';
import { fold as foldWith } from './testing/decider-specification';
import {
  ICCT,
  IPIECA,
  KENYA,
  PCFV,
  REGISTERED_ON,
  UNEP,
  USA,
  amendCommand,
  amended,
  at,
  designateLeadCommand,
  ended,
  endCommand,
  fileReportCommand,
  joinCommand,
  joined,
  leadDesignated,
  leaveCommand,
  left,
  mergeCommand,
  pcfvDetails,
  pcfvRegistered,
  registerCommand,
  registered,
  reportFiled,
} from './testing/fixtures';

const fold = (events: PartnershipEvent[]) => foldWith({ evolve, initialState: () => initialState }, events);
const existing = (events: PartnershipEvent[]) => fold(events) as ExistingPartnership;
const { lead: _unepLead, ...unep } = UNEP;
const { lead: _usaLead, ...usa } = USA;
const { lead: _icctLead, ...icct } = ICCT;

/** Deep-freezes a value so that any in-place update by evolve or decide throws. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

describe('evolve', () => {
  it('starts unknown', () => {
    expect(initialState).toEqual({ status: 'unknown' });
  });

  it('a registration and its joins give an active partnership', () => {
    expect(fold(pcfvRegistered())).toEqual({
      status: 'active',
      partnershipId: PCFV,
      details: pcfvDetails,
      detailsEffectiveAt: Object.fromEntries(Object.keys(pcfvDetails).map((key) => [key, at(REGISTERED_ON)])),
      partners: {
        unep: { ...unep, lead: true },
        'us-government': { ...usa, lead: false },
        icct: { ...icct, lead: false },
      },
      registeredAt: at(REGISTERED_ON),
      lastMembershipChangeAt: at(REGISTERED_ON),
      lastEffectiveAt: at(REGISTERED_ON),
      reportIds: [],
      lastReportAt: null,
      endReason: null,
      mergedInto: null,
      absorbed: [],
    });
  });

  it('ignores events on a stream that was never registered', () => {
    expect(fold([joined(KENYA, '2005-03-01')])).toEqual({ status: 'unknown' });
  });

  it('a join adds the partner with its lead flag and moves the membership clock', () => {
    const state = existing([...pcfvRegistered(), joined({ ...KENYA, lead: true }, '2005-03-01')]);
    expect(state.partners.kenya).toEqual({ orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: true });
    expect(state.lastMembershipChangeAt).toBe(at('2005-03-01'));
    expect(state.lastEffectiveAt).toBe(at('2005-03-01'));
  });

  it('a join carried over by a merge is an ordinary join', () => {
    const state = existing([...pcfvRegistered(), joined(IPIECA, '2008-01-01', PCFV, 'low-sulphur-africa')]);
    expect(state.partners.ipieca).toEqual({ orgId: 'ipieca', name: 'IPIECA', type: 'business-industry', lead: false });
  });

  it('a leave removes the partner', () => {
    const state = existing([...pcfvRegistered(), left('icct', '2006-07-01')]);
    expect(Object.keys(state.partners)).toEqual(['unep', 'us-government']);
    expect(state.lastMembershipChangeAt).toBe(at('2006-07-01'));
  });

  it('a lead designation makes the partner lead, keeping the other leads', () => {
    const state = existing([...pcfvRegistered(), leadDesignated('icct', '2006-07-01')]);
    expect(Object.values(state.partners).filter((p) => p.lead).map((p) => p.orgId)).toEqual(['unep', 'icct']);
  });

  it('reports are listed in filing order; back-dated ones move neither lastReportAt nor lastEffectiveAt back', () => {
    const state = existing([
      ...pcfvRegistered(),
      reportFiled('r-2005', { from: '2005-01-01', to: '2005-12-31' }, '2006-02-01'),
      reportFiled('r-2003', { from: '2003-01-01', to: '2003-12-31' }, '2004-02-01'),
    ]);
    expect(state.reportIds).toEqual(['r-2005', 'r-2003']);
    expect(state.lastReportAt).toBe(at('2006-02-01'));
    expect(state.lastEffectiveAt).toBe(at('2006-02-01'));
    expect(state.lastMembershipChangeAt).toBe(at(REGISTERED_ON));
  });

  it('an amendment replaces only the attributes it names', () => {
    const state = existing([...pcfvRegistered(), amended({ scope: 'regional', regions: ['africa'] }, '2003-01-01')]);
    expect(state.details).toEqual({ ...pcfvDetails, scope: 'regional', regions: ['africa'] });
    expect(state.lastMembershipChangeAt).toBe(at(REGISTERED_ON));
  });

  it('a back-dated correction does not override a later-effective value recorded before it', () => {
    const state = existing([
      ...pcfvRegistered(),
      amended({ scope: 'regional', regions: ['africa'] }, '2008-01-01'),
      amended({ scope: 'subregional', name: 'Corrected name' }, '2004-06-01'),
    ]);
    expect(state.details.scope).toBe('regional');
    expect(state.details.regions).toEqual(['africa']);
    expect(state.details.name).toBe('Corrected name');
    expect(state.detailsEffectiveAt.scope).toBe(at('2008-01-01'));
    expect(state.detailsEffectiveAt.name).toBe(at('2004-06-01'));
  });

  it('an end records the reason', () => {
    const state = existing([...pcfvRegistered(), ended('inactive', '2009-06-30')]);
    expect(state).toMatchObject({ status: 'ended', endReason: 'inactive', mergedInto: null, lastEffectiveAt: at('2009-06-30') });
  });

  it('a merge ends the absorbed one as merged into the survivor, and lists it on the survivor', () => {
    const absorbedEvents: PartnershipEvent[] = [
      registered('2004-05-01', pcfvDetails, 'low-sulphur-africa'),
      joined(IPIECA, '2004-05-01', 'low-sulphur-africa'),
    ];
    const decided = decideMerge(mergeCommand('low-sulphur-africa', PCFV, '2008-01-01'), fold(absorbedEvents), fold(pcfvRegistered()));
    expect(existing([...absorbedEvents, ...decided.absorbed])).toMatchObject({
      status: 'ended',
      endReason: 'merged',
      mergedInto: PCFV,
      lastMembershipChangeAt: at('2008-01-01'),
    });
    const survivor = existing([...pcfvRegistered(), ...decided.survivor]);
    expect(survivor).toMatchObject({ status: 'active', absorbed: ['low-sulphur-africa'], lastMembershipChangeAt: at('2008-01-01') });
    expect(Object.keys(survivor.partners)).toEqual(['unep', 'us-government', 'icct', 'ipieca']);
  });
});

describe('decide and evolve together', () => {
  // The life of PCFV: each command is decided on the state folded from the events decided so far.
  const script: SingleStreamCommand[] = [
    registerCommand(),
    joinCommand(KENYA, '2003-06-01'),
    fileReportCommand('r-2003', { from: '2003-01-01', to: '2003-12-31' }, '2004-03-01'),
    designateLeadCommand('kenya', '2004-06-01'),
    leaveCommand('unep', '2005-01-01', 'icct'),
    joinCommand(IPIECA, '2005-01-01'),
    // Late filing and a correction, both back-dated before the last membership change.
    fileReportCommand('r-2002', { from: '2002-09-04', to: '2002-12-31' }, '2003-02-01'),
    amendCommand({ countries: ['KE'], endDate: '2012-12-31' }, '2002-10-01'),
    endCommand('completed', '2009-12-31'),
  ];

  const run = () =>
    script.reduce<{ state: PartnershipState; events: PartnershipEvent[] }>(
      ({ state, events }, command) => {
        frozen(state);
        const decided = decide(command, state);
        const next = decided.reduce(evolve, state);
        // Folding everything decided so far reproduces the state the next decision will use.
        expect(fold([...events, ...decided])).toEqual(next);
        return { state: next, events: [...events, ...decided] };
      },
      { state: initialState, events: [] },
    );

  it('ends with the expected partnership, never mutating a state', () => {
    const { state, events } = run();
    expect(events).toHaveLength(13);
    expect(state).toEqual({
      status: 'ended',
      partnershipId: PCFV,
      details: { ...pcfvDetails, countries: ['KE'], endDate: '2012-12-31' },
      detailsEffectiveAt: expect.objectContaining({ name: at(REGISTERED_ON), countries: expect.any(String), endDate: expect.any(String) }),
      partners: {
        'us-government': { ...usa, lead: false },
        icct: { ...icct, lead: true },
        kenya: { orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: true },
        ipieca: { orgId: 'ipieca', name: 'IPIECA', type: 'business-industry', lead: false },
      },
      registeredAt: at(REGISTERED_ON),
      lastMembershipChangeAt: at('2005-01-01'),
      lastEffectiveAt: at('2009-12-31'),
      reportIds: ['r-2003', 'r-2002'],
      lastReportAt: at('2004-03-01'),
      endReason: 'completed',
      mergedInto: null,
      absorbed: [],
    });
  });

  it('folding in (effectiveAt, position) order gives the same partnership, reports aside', () => {
    const { state, events } = run();
    const byEffectiveDate = events
      .map((event, position) => ({ event, position }))
      .sort((a, b) => Date.parse(a.event.metadata.effectiveAt) - Date.parse(b.event.metadata.effectiveAt) || a.position - b.position)
      .map(({ event }) => event);
    expect(byEffectiveDate).not.toEqual(events);
    const asOf = existing(byEffectiveDate);
    expect({ ...asOf, reportIds: [...asOf.reportIds].sort() }).toEqual({ ...state, reportIds: ['r-2002', 'r-2003'] });
  });
});
