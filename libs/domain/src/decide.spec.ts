import { DomainRuleViolation, InvalidInput, NotFound } from '@registry/shared-kernel';
import { partnershipDecider } from './decide';
import type { RegisterPartnership, SingleStreamCommand } from './commands';
import { DeciderSpecification } from './testing/decider-specification';
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
  endCommand,
  ended,
  fileReportCommand,
  joinCommand,
  joined,
  leadDesignated,
  leaveCommand,
  left,
  meta,
  pcfvDetails,
  pcfvRegistered,
  registerCommand,
  registered,
  reportFiled,
} from './testing/fixtures';

const given = DeciderSpecification.for(partnershipDecider);

describe('RegisterPartnership', () => {
  it('records the details, then every partner joining with its lead flag', () => {
    given([]).when(registerCommand()).then(pcfvRegistered());
  });

  it('normalises an absent end date and resources to null', () => {
    const { endDate: _endDate, resources: _resources, ...data } = registerCommand().data;
    given([])
      .when({ ...registerCommand(), data: data as RegisterPartnership['data'] })
      .then([registered(REGISTERED_ON, { ...pcfvDetails, endDate: null, resources: null }), ...pcfvRegistered().slice(1)]);
  });

  it('refuses a partnership that is already registered', () => {
    given(pcfvRegistered())
      .when(registerCommand())
      .thenThrows(DomainRuleViolation, { field: 'partnershipId', rule: 'not-already-registered' });
  });

  it('refuses an ended partnership too: its id stays taken', () => {
    given([...pcfvRegistered(), ended('completed', '2009-01-01')])
      .when(registerCommand())
      .thenThrows(DomainRuleViolation, { field: 'partnershipId', rule: 'not-already-registered' });
  });

  it('needs a lead partner', () => {
    given([])
      .when(registerCommand({ partners: [{ ...UNEP, lead: false }, USA] }))
      .thenThrows(DomainRuleViolation, { field: 'partners', rule: 'has-lead-partner' });
  });

  it('accepts several leads', () => {
    given([])
      .when(registerCommand({ partners: [UNEP, { ...USA, lead: true }] }))
      .then([registered(), joined(UNEP, REGISTERED_ON), joined({ ...USA, lead: true }, REGISTERED_ON)]);
  });

  it('refuses the same organisation twice, naming the second listing', () => {
    given([])
      .when(registerCommand({ partners: [UNEP, USA, { ...ICCT, orgId: 'us-government' }] }))
      .thenThrows(DomainRuleViolation, { field: 'partners.2.orgId', rule: 'unique-org' });
  });

  it('needs the end date strictly after the start date', () => {
    given([])
      .when(registerCommand({ startDate: '2002-09-01', endDate: '2002-09-01' }))
      .thenThrows(DomainRuleViolation, { field: 'endDate', rule: 'after-start-date' });
  });

  it('accepts an end date the day after the start date', () => {
    given([])
      .when(registerCommand({ endDate: '2002-09-02' }))
      .then([registered(REGISTERED_ON, { ...pcfvDetails, endDate: '2002-09-02' }), ...pcfvRegistered().slice(1)]);
  });

  it('needs a primary theme', () => {
    given([])
      .when(registerCommand({ themes: { primary: [], secondary: ['chemicals'] } }))
      .thenThrows(DomainRuleViolation, { field: 'themes.primary', rule: 'has-primary-theme' });
  });

  it('refuses a theme that is both primary and secondary', () => {
    given([])
      .when(registerCommand({ themes: { primary: ['chemicals', 'waste-management'], secondary: ['health', 'chemicals'] } }))
      .thenThrows(DomainRuleViolation, { field: 'themes.secondary', rule: 'not-also-primary' });
  });

  it('refuses an effective date after now', () => {
    given([])
      .when({ ...registerCommand(), metadata: { now: at('2002-09-04'), effectiveAt: '2002-09-04T00:00:00.001Z' } })
      .thenThrows(DomainRuleViolation, { field: 'effectiveDate', rule: 'not-in-future' });
  });

  it('accepts an effective date equal to now', () => {
    given([])
      .when({ ...registerCommand(), metadata: meta(REGISTERED_ON, REGISTERED_ON) })
      .then(pcfvRegistered());
  });
});

describe('any command but registration', () => {
  const commands: SingleStreamCommand[] = [
    joinCommand(KENYA, '2005-03-01'),
    leaveCommand('icct', '2005-03-01'),
    designateLeadCommand('us-government', '2005-03-01'),
    fileReportCommand('r-2004', { from: '2004-01-01', to: '2004-12-31' }, '2005-03-01'),
    amendCommand({ name: 'PCFV' }, '2005-03-01'),
    endCommand('completed', '2005-03-01'),
  ];

  it.each(commands.map((command) => [command.type, command] as const))(
    '%s on an unknown partnership is NotFound, naming the id',
    (_type, command) => {
      const error = given([]).when(command).thenThrows(NotFound, { field: 'partnershipId', rule: 'partnership-exists' });
      expect(error.message).toContain(PCFV);
    },
  );

  it.each(commands.map((command) => [command.type, command] as const))(
    '%s on an ended partnership is refused',
    (_type, command) => {
      given([...pcfvRegistered(), ended('dissolved', '2004-06-30')])
        .when(command)
        .thenThrows(DomainRuleViolation, { field: 'partnershipId', rule: 'partnership-active' });
    },
  );

  it('refuses an effective date after now', () => {
    given(pcfvRegistered())
      .when(joinCommand(KENYA, '2010-02-02'))
      .thenThrows(DomainRuleViolation, { field: 'effectiveDate', rule: 'not-in-future' });
  });

  it('refuses an effective date before the registration', () => {
    given(pcfvRegistered())
      .when(fileReportCommand('r-2002', { from: '2002-01-01', to: '2002-06-30' }, '2002-09-03'))
      .thenThrows(DomainRuleViolation, { field: 'effectiveDate', rule: 'not-before-registration' });
  });

  it('accepts an effective date at the registration', () => {
    given(pcfvRegistered())
      .when(fileReportCommand('r-2002', { from: '2002-01-01', to: '2002-06-30' }, REGISTERED_ON))
      .then([reportFiled('r-2002', { from: '2002-01-01', to: '2002-06-30' }, REGISTERED_ON)]);
  });
});

describe('effective-date ordering', () => {
  const history = () => [...pcfvRegistered(), joined(KENYA, '2005-03-01')];

  it.each([
    ['a join', joinCommand(IPIECA, '2005-02-28')],
    ['a leave', leaveCommand('icct', '2005-02-28')],
    ['a lead designation', designateLeadCommand('icct', '2005-02-28')],
  ])('refuses %s before the last membership change', (_what, command) => {
    given(history())
      .when(command)
      .thenThrows(DomainRuleViolation, { field: 'effectiveDate', rule: 'not-before-last-membership-change' });
  });

  it('accepts a membership change at the same instant as the last one', () => {
    given(history()).when(joinCommand(IPIECA, '2005-03-01')).then([joined(IPIECA, '2005-03-01')]);
  });

  it('accepts a report back-dated before the last membership change', () => {
    const period = { from: '2003-01-01', to: '2003-12-31' };
    given(history()).when(fileReportCommand('r-2003', period, '2004-01-15')).then([reportFiled('r-2003', period, '2004-01-15')]);
  });

  it('accepts an amendment back-dated before the last membership change', () => {
    given(history()).when(amendCommand({ countries: ['KE'] }, '2003-01-01')).then([amended({ countries: ['KE'] }, '2003-01-01')]);
  });

  it('refuses an end before the last event of any kind', () => {
    const period = { from: '2008-01-01', to: '2008-12-31' };
    given([...history(), reportFiled('r-2008', period, '2009-01-10')])
      .when(endCommand('completed', '2009-01-09'))
      .thenThrows(DomainRuleViolation, { field: 'effectiveDate', rule: 'not-before-last-event' });
  });

  it('accepts an end at the instant of the last event', () => {
    const period = { from: '2008-01-01', to: '2008-12-31' };
    given([...history(), reportFiled('r-2008', period, '2009-01-10')])
      .when(endCommand('completed', '2009-01-10'))
      .then([ended('completed', '2009-01-10')]);
  });
});

describe('JoinPartner', () => {
  it('adds an ordinary partner', () => {
    given(pcfvRegistered()).when(joinCommand(KENYA, '2005-03-01')).then([joined(KENYA, '2005-03-01')]);
  });

  it('adds a partner as lead when asked', () => {
    given(pcfvRegistered())
      .when(joinCommand({ ...KENYA, lead: true }, '2005-03-01'))
      .then([joined({ ...KENYA, lead: true }, '2005-03-01')]);
  });

  it('refuses a current partner', () => {
    given(pcfvRegistered())
      .when(joinCommand({ ...USA, name: 'USA' }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'partner.orgId', rule: 'not-already-partner' });
  });

  it('accepts a partner that left earlier', () => {
    given([...pcfvRegistered(), left('icct', '2004-01-01')])
      .when(joinCommand(ICCT, '2005-03-01'))
      .then([joined(ICCT, '2005-03-01')]);
  });
});

describe('LeavePartner', () => {
  it('removes an ordinary partner', () => {
    given(pcfvRegistered()).when(leaveCommand('icct', '2005-03-01')).then([left('icct', '2005-03-01')]);
  });

  it('refuses an organisation that is not a partner', () => {
    given(pcfvRegistered())
      .when(leaveCommand('kenya', '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'orgId', rule: 'is-partner' });
  });

  it('refuses the last lead leaving', () => {
    given(pcfvRegistered())
      .when(leaveCommand('unep', '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'orgId', rule: 'not-last-lead' });
  });

  it('lets a lead leave when another lead remains', () => {
    given([...pcfvRegistered(), leadDesignated('us-government', '2004-01-01')])
      .when(leaveCommand('unep', '2005-03-01'))
      .then([left('unep', '2005-03-01')]);
  });

  it('lets the last lead leave when it designates another partner, designating first', () => {
    given(pcfvRegistered())
      .when(leaveCommand('unep', '2005-03-01', 'icct'))
      .then([leadDesignated('icct', '2005-03-01'), left('unep', '2005-03-01')]);
  });

  it('adds no designation when the designated partner already leads', () => {
    given([...pcfvRegistered(), leadDesignated('us-government', '2004-01-01')])
      .when(leaveCommand('unep', '2005-03-01', 'us-government'))
      .then([left('unep', '2005-03-01')]);
  });

  it.each([
    ['an organisation that is not a partner', 'kenya'],
    ['the leaving partner itself', 'unep'],
  ])('refuses designating %s', (_what, designateLead) => {
    given(pcfvRegistered())
      .when(leaveCommand('unep', '2005-03-01', designateLead))
      .thenThrows(DomainRuleViolation, { field: 'designateLead', rule: 'is-other-partner' });
  });
});

describe('DesignateLead', () => {
  it('makes a partner lead', () => {
    given(pcfvRegistered()).when(designateLeadCommand('icct', '2005-03-01')).then([leadDesignated('icct', '2005-03-01')]);
  });

  it('refuses an organisation that is not a partner', () => {
    given(pcfvRegistered())
      .when(designateLeadCommand('kenya', '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'orgId', rule: 'is-partner' });
  });

  it('refuses a partner that already leads', () => {
    given(pcfvRegistered())
      .when(designateLeadCommand('unep', '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'orgId', rule: 'not-already-lead' });
  });
});

describe('FileReport', () => {
  it('files a report, with only the report fields', () => {
    const command = fileReportCommand('r-2004', { from: '2004-01-01', to: '2004-12-31' }, '2005-03-01');
    given(pcfvRegistered())
      .when({ ...command, data: { ...command.data, extra: 'dropped' } as typeof command.data })
      .then([reportFiled('r-2004', { from: '2004-01-01', to: '2004-12-31' }, '2005-03-01')]);
  });

  it('accepts a one-day period', () => {
    given(pcfvRegistered())
      .when(fileReportCommand('r-day', { from: '2004-06-05', to: '2004-06-05' }, '2005-03-01'))
      .then([reportFiled('r-day', { from: '2004-06-05', to: '2004-06-05' }, '2005-03-01')]);
  });

  it('refuses a period that starts after it ends', () => {
    given(pcfvRegistered())
      .when(fileReportCommand('r-2004', { from: '2004-12-31', to: '2004-01-01' }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'period.from', rule: 'not-after-period-to' });
  });

  it('refuses a report id already filed', () => {
    given([...pcfvRegistered(), reportFiled('r-2004', { from: '2004-01-01', to: '2004-12-31' }, '2005-03-01')])
      .when(fileReportCommand('r-2004', { from: '2005-01-01', to: '2005-12-31' }, '2006-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'reportId', rule: 'unique-report' });
  });
});

describe('AmendPartnership', () => {
  it('records the changed attributes', () => {
    given(pcfvRegistered())
      .when(amendCommand({ scope: 'regional', regions: ['africa'] }, '2005-03-01'))
      .then([amended({ scope: 'regional', regions: ['africa'] }, '2005-03-01')]);
  });

  it('drops the attributes given with their current value', () => {
    given(pcfvRegistered())
      .when(amendCommand({ name: pcfvDetails.name, endDate: null, countries: ['KE', 'UG'] }, '2005-03-01'))
      .then([amended({ countries: ['KE', 'UG'] }, '2005-03-01')]);
  });

  it('refuses no changes', () => {
    given(pcfvRegistered())
      .when(amendCommand({}, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes', rule: 'not-empty' });
  });

  it('refuses changes that change nothing', () => {
    given(pcfvRegistered())
      .when(amendCommand({ scope: 'global', themes: { primary: ['transport', 'atmosphere'], secondary: ['health', 'energy'] } }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes', rule: 'changes-something' });
  });

  it('refuses an attribute that is not a detail', () => {
    given(pcfvRegistered())
      .when(amendCommand({ partnershipId: 'other' } as never, '2005-03-01'))
      .thenThrows(InvalidInput, { field: 'changes.partnershipId', rule: 'amendable-field' });
  });

  it('refuses an end date not after the current start date', () => {
    given(pcfvRegistered())
      .when(amendCommand({ endDate: '2002-08-31' }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes.endDate', rule: 'after-start-date' });
  });

  it('refuses a start date not before the current end date, naming the start date', () => {
    given([...pcfvRegistered(), amended({ endDate: '2012-12-31' }, '2003-01-01')])
      .when(amendCommand({ startDate: '2013-01-01' }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes.startDate', rule: 'after-start-date' });
  });

  it('accepts moving both dates together', () => {
    given([...pcfvRegistered(), amended({ endDate: '2012-12-31' }, '2003-01-01')])
      .when(amendCommand({ startDate: '2013-01-01', endDate: '2015-12-31' }, '2005-03-01'))
      .then([amended({ startDate: '2013-01-01', endDate: '2015-12-31' }, '2005-03-01')]);
  });

  it('refuses themes without a primary one', () => {
    given(pcfvRegistered())
      .when(amendCommand({ themes: { primary: [], secondary: ['transport'] } }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes.themes.primary', rule: 'has-primary-theme' });
  });

  it('refuses a theme both primary and secondary', () => {
    given(pcfvRegistered())
      .when(amendCommand({ themes: { primary: ['transport'], secondary: ['transport', 'health'] } }, '2005-03-01'))
      .thenThrows(DomainRuleViolation, { field: 'changes.themes.secondary', rule: 'not-also-primary' });
  });
});

describe('EndPartnership', () => {
  it.each(['completed', 'dissolved', 'inactive'] as const)('ends a partnership as %s', (reason) => {
    given(pcfvRegistered()).when(endCommand(reason, '2009-12-31')).then([ended(reason, '2009-12-31')]);
  });

  it('refuses merged: merging goes through MergePartnership', () => {
    given(pcfvRegistered())
      .when(endCommand('merged' as never, '2009-12-31'))
      .thenThrows(DomainRuleViolation, { field: 'reason', rule: 'not-merged-use-merge' });
  });

  it('refuses an unknown reason as invalid input', () => {
    given(pcfvRegistered())
      .when(endCommand('abandoned' as never, '2009-12-31'))
      .thenThrows(InvalidInput, { field: 'reason', rule: 'isIn' });
  });
});
