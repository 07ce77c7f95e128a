import { toInstant } from '@registry/shared-kernel';
import type {
  AmendPartnership,
  DesignateLead,
  EndPartnership,
  FileReport,
  JoinPartner,
  LeavePartner,
  MergePartnership,
  NewPartner,
  RegisterPartnership,
} from '../commands';
import type {
  LeadPartnerDesignated,
  PartnerJoined,
  PartnerLeft,
  PartnershipAmended,
  PartnershipEnded,
  PartnershipEvent,
  PartnershipRegistered,
  ReportFiled,
} from '../events';
import type { Instant, PartnershipDetails, ReportPeriod } from '../partnership';

/** `at('2005-03-01')`: the instant a bare business date stands for (start of day, UTC). */
export const at = (date: string): Instant => toInstant(date);

/** The clock of every fixture command: the cut-off of the CSD-18 report. */
export const NOW = '2010-02-01';
export const meta = (effectiveDate: string, now = NOW) => ({ now: at(now), effectiveAt: at(effectiveDate) });

/** Launched at the World Summit, registered on its last day. */
export const PCFV = 'pcfv';
export const REGISTERED_ON = '2002-09-04';

export const UNEP: NewPartner = { orgId: 'unep', name: 'United Nations Environment Programme', type: 'un-system', lead: true };
export const USA: NewPartner = { orgId: 'us-government', name: 'United States of America', type: 'government', country: 'US', lead: false };
export const ICCT: NewPartner = { orgId: 'icct', name: 'International Council on Clean Transportation', type: 'ngo', lead: false };
export const KENYA: NewPartner = { orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: false };
export const IPIECA: NewPartner = { orgId: 'ipieca', name: 'IPIECA', type: 'business-industry', lead: false };

export const pcfvDetails: PartnershipDetails = {
  name: 'Partnership for Clean Fuels and Vehicles',
  description: 'Phasing out leaded petrol and reducing sulphur in fuels in developing countries.',
  themes: { primary: ['transport', 'atmosphere'], secondary: ['health', 'energy'] },
  scope: 'global',
  regions: [],
  countries: [],
  startDate: '2002-09-01',
  endDate: null,
  resources: {
    financialSecured: true,
    inKind: ['office', 'staff'],
    seekingFunding: true,
    fundingSources: ['government', 'private-sector'],
  },
  mechanisms: ['education-awareness', 'technology-transfer'],
};

// --- commands ---

export function registerCommand(
  overrides: Partial<RegisterPartnership['data']> = {},
  effectiveDate = REGISTERED_ON,
): RegisterPartnership {
  return {
    type: 'RegisterPartnership',
    data: { partnershipId: PCFV, ...pcfvDetails, partners: [UNEP, USA, ICCT], ...overrides },
    metadata: meta(effectiveDate),
  };
}

export const joinCommand = (partner: NewPartner, effectiveDate: string, partnershipId = PCFV): JoinPartner => ({
  type: 'JoinPartner',
  data: { partnershipId, partner },
  metadata: meta(effectiveDate),
});

export const leaveCommand = (orgId: string, effectiveDate: string, designateLead?: string): LeavePartner => ({
  type: 'LeavePartner',
  data: { partnershipId: PCFV, orgId, ...(designateLead === undefined ? {} : { designateLead }) },
  metadata: meta(effectiveDate),
});

export const designateLeadCommand = (orgId: string, effectiveDate: string): DesignateLead => ({
  type: 'DesignateLead',
  data: { partnershipId: PCFV, orgId },
  metadata: meta(effectiveDate),
});

export const fileReportCommand = (reportId: string, period: ReportPeriod, effectiveDate: string): FileReport => ({
  type: 'FileReport',
  data: {
    partnershipId: PCFV,
    reportId,
    period,
    summary: 'Leaded petrol phased out in sub-Saharan Africa.',
    activities: ['capacity-building', 'information-sharing'],
  },
  metadata: meta(effectiveDate),
});

export const amendCommand = (changes: Partial<PartnershipDetails>, effectiveDate: string): AmendPartnership => ({
  type: 'AmendPartnership',
  data: { partnershipId: PCFV, changes },
  metadata: meta(effectiveDate),
});

export const endCommand = (reason: EndPartnership['data']['reason'], effectiveDate: string): EndPartnership => ({
  type: 'EndPartnership',
  data: { partnershipId: PCFV, reason },
  metadata: meta(effectiveDate),
});

export const mergeCommand = (partnershipId: string, into: string, effectiveDate: string): MergePartnership => ({
  type: 'MergePartnership',
  data: { partnershipId, into },
  metadata: meta(effectiveDate),
});

// --- events, written out rather than decided, so `given` does not depend on the code under test ---

const event = <E extends PartnershipEvent>(type: E['type'], data: E['data'], effectiveDate: string) =>
  ({ type, data, metadata: { effectiveAt: at(effectiveDate) } }) as E;

export const registered = (
  effectiveDate = REGISTERED_ON,
  details: PartnershipDetails = pcfvDetails,
  partnershipId = PCFV,
): PartnershipRegistered => event<PartnershipRegistered>('PartnershipRegistered', { partnershipId, ...details }, effectiveDate);

export const joined = (
  { lead, ...partner }: NewPartner,
  effectiveDate: string,
  partnershipId = PCFV,
  viaMergeOf?: string,
): PartnerJoined =>
  event<PartnerJoined>(
    'PartnerJoined',
    { partnershipId, partner, lead, ...(viaMergeOf === undefined ? {} : { viaMergeOf }) },
    effectiveDate,
  );

export const left = (orgId: string, effectiveDate: string): PartnerLeft =>
  event<PartnerLeft>('PartnerLeft', { partnershipId: PCFV, orgId }, effectiveDate);

export const leadDesignated = (orgId: string, effectiveDate: string): LeadPartnerDesignated =>
  event<LeadPartnerDesignated>('LeadPartnerDesignated', { partnershipId: PCFV, orgId }, effectiveDate);

export const reportFiled = (reportId: string, period: ReportPeriod, effectiveDate: string): ReportFiled =>
  event<ReportFiled>('ReportFiled', { ...fileReportCommand(reportId, period, effectiveDate).data }, effectiveDate);

export const amended = (changes: Partial<PartnershipDetails>, effectiveDate: string): PartnershipAmended =>
  event<PartnershipAmended>('PartnershipAmended', { partnershipId: PCFV, changes }, effectiveDate);

export const ended = (reason: PartnershipEnded['data']['reason'], effectiveDate: string): PartnershipEnded =>
  event<PartnershipEnded>('PartnershipEnded', { partnershipId: PCFV, reason }, effectiveDate);

/** PCFV as registered at the Summit: UNEP leads, the United States and ICCT take part. */
export const pcfvRegistered = () => [
  registered(),
  joined(UNEP, REGISTERED_ON),
  joined(USA, REGISTERED_ON),
  joined(ICCT, REGISTERED_ON),
];
