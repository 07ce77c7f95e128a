import { DomainRuleViolation, NotFound } from '@registry/shared-kernel';
import { decideMerge } from './decide';
import type { PartnershipEvent } from './events';
import { evolve, initialState } from './state';
import { expectError, fold } from './testing/decider-specification';
import {
  ICCT,
  IPIECA,
  KENYA,
  PCFV,
  REGISTERED_ON,
  at,
  ended,
  joined,
  left,
  mergeCommand,
  meta,
  pcfvDetails,
  pcfvRegistered,
  registered,
  reportFiled,
} from './testing/fixtures';

/** A regional initiative registered in 2004 that PCFV absorbs: ICCT leads it, IPIECA and Kenya take part. */
const SULPHUR = 'low-sulphur-africa';
const sulphurRegistered = (): PartnershipEvent[] => [
  registered('2004-05-01', { ...pcfvDetails, name: 'Low-sulphur fuels in Africa', scope: 'regional', regions: ['africa'] }, SULPHUR),
  joined({ ...ICCT, lead: true }, '2004-05-01', SULPHUR),
  joined(IPIECA, '2004-05-01', SULPHUR),
  joined(KENYA, '2004-05-01', SULPHUR),
];

const state = (events: PartnershipEvent[]) => fold({ evolve, initialState: () => initialState }, events);
const merge = (absorbed: PartnershipEvent[], survivor: PartnershipEvent[], effectiveDate = '2008-01-01') =>
  () => decideMerge(mergeCommand(SULPHUR, PCFV, effectiveDate), state(absorbed), state(survivor));

describe('MergePartnership', () => {
  it('ends the absorbed one as merged, and carries over the partners the survivor lacks, as non-leads', () => {
    const effectiveAt = at('2008-01-01');
    expect(merge(sulphurRegistered(), pcfvRegistered())()).toEqual({
      absorbed: [
        { type: 'PartnershipMerged', data: { partnershipId: SULPHUR, into: PCFV }, metadata: { effectiveAt } },
        { type: 'PartnershipEnded', data: { partnershipId: SULPHUR, reason: 'merged', mergedInto: PCFV }, metadata: { effectiveAt } },
      ],
      survivor: [
        { type: 'PartnershipAbsorbed', data: { partnershipId: PCFV, absorbed: SULPHUR }, metadata: { effectiveAt } },
        joined(IPIECA, '2008-01-01', PCFV, SULPHUR),
        joined(KENYA, '2008-01-01', PCFV, SULPHUR),
      ],
    });
  });

  it('keeps the survivor\'s leads: ICCT, lead of the absorbed one, stays an ordinary partner', () => {
    const { survivor } = merge(sulphurRegistered(), pcfvRegistered())();
    const after = state([...pcfvRegistered(), ...survivor]);
    expect(after.status === 'active' && Object.values(after.partners).filter((p) => p.lead).map((p) => p.orgId)).toEqual(['unep']);
  });

  it('refuses merging a partnership into itself', () => {
    expectError(
      () => decideMerge(mergeCommand(PCFV, PCFV, '2008-01-01'), state(pcfvRegistered()), state(pcfvRegistered())),
      DomainRuleViolation,
      { field: 'into', rule: 'not-self' },
    );
  });

  it('refuses an unknown absorbed partnership as NotFound', () => {
    const error = expectError(merge([], pcfvRegistered()), NotFound, { field: 'partnershipId', rule: 'partnership-exists' });
    expect(error.message).toContain(SULPHUR);
  });

  it('refuses an ended absorbed partnership', () => {
    expectError(merge([...sulphurRegistered(), ended('inactive', '2007-01-01')], pcfvRegistered()), DomainRuleViolation, {
      field: 'partnershipId',
      rule: 'partnership-active',
    });
  });

  it('refuses an unknown survivor', () => {
    expectError(merge(sulphurRegistered(), []), DomainRuleViolation, { field: 'into', rule: 'partnership-exists' });
  });

  it('refuses an ended survivor', () => {
    expectError(merge(sulphurRegistered(), [...pcfvRegistered(), ended('completed', '2007-01-01')]), DomainRuleViolation, {
      field: 'into',
      rule: 'partnership-active',
    });
  });

  it('refuses an effective date after now', () => {
    expectError(
      () => decideMerge({ ...mergeCommand(SULPHUR, PCFV, '2008-01-01'), metadata: meta('2008-01-01', '2007-12-31') }, state(sulphurRegistered()), state(pcfvRegistered())),
      DomainRuleViolation,
      { field: 'effectiveDate', rule: 'not-in-future' },
    );
  });

  it('refuses a date before the survivor was registered', () => {
    const lateSurvivor = pcfvRegistered().map((e) => ({ ...e, metadata: { effectiveAt: at('2005-01-01') } }));
    expectError(merge(sulphurRegistered(), lateSurvivor, '2004-12-31'), DomainRuleViolation, {
      field: 'effectiveDate',
      rule: 'not-before-registration',
    });
  });

  it('refuses a date before the last event of the absorbed one, even a report', () => {
    const absorbed = [...sulphurRegistered(), reportFiled('s-2007', { from: '2007-01-01', to: '2007-12-31' }, '2008-01-02')];
    expectError(merge(absorbed, pcfvRegistered(), '2008-01-01'), DomainRuleViolation, {
      field: 'effectiveDate',
      rule: 'not-before-last-event',
    });
  });

  it('refuses a date before the last membership change of the survivor', () => {
    expectError(merge(sulphurRegistered(), [...pcfvRegistered(), left('icct', '2008-01-02')], '2008-01-01'), DomainRuleViolation, {
      field: 'effectiveDate',
      rule: 'not-before-last-membership-change',
    });
  });

  it('accepts a date at those bounds', () => {
    const absorbed = [...sulphurRegistered(), reportFiled('s-2007', { from: '2007-01-01', to: '2007-12-31' }, '2008-01-01')];
    const survivor = [...pcfvRegistered(), left('icct', '2008-01-01')];
    const { survivor: events } = merge(absorbed, survivor, '2008-01-01')();
    // ICCT left PCFV, so it comes back through the merge.
    expect(events.map((e) => (e.type === 'PartnerJoined' ? e.data.partner.orgId : e.type))).toEqual([
      'PartnershipAbsorbed',
      'icct',
      'ipieca',
      'kenya',
    ]);
  });

  it('accepts a merge on the registration date of the survivor', () => {
    expect(() => merge(sulphurRegistered().map((e) => ({ ...e, metadata: { effectiveAt: at(REGISTERED_ON) } })), pcfvRegistered(), REGISTERED_ON)()).not.toThrow();
  });
});
