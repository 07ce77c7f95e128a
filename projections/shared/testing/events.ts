import type { Organisation, PartnershipDetails, PartnershipEvent } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { Projection } from '@registry/projector';
import { InMemoryDocuments } from '@registry/projector';
import { toInstant, type EndReason } from '@registry/shared-kernel';
import { RecordedLog } from './recorded-history';

/**
 * Test support for "given events, when applied, then documents": domain event builders (dates are
 * `YYYY-MM-DD`, taken as the start of the day UTC) and a runner over `InMemoryDocuments`.
 */
export const details = (overrides: Partial<PartnershipDetails> = {}): PartnershipDetails => ({
  name: 'Partnership for Clean Fuels and Vehicles',
  description: 'Phasing out leaded petrol.',
  themes: { primary: ['transport'], secondary: ['health'] },
  scope: 'global',
  regions: [],
  countries: [],
  startDate: '2002-09-01',
  endDate: null,
  resources: { financialSecured: true, inKind: ['office'], seekingFunding: false, fundingSources: ['government'] },
  mechanisms: ['education-awareness'],
  ...overrides,
});

export const org = (orgId: string, type: Organisation['type'], country?: string): Organisation => ({
  orgId,
  name: `Organisation ${orgId}`,
  type,
  ...(country && { country }),
});

const m = (date: string) => ({ effectiveAt: toInstant(date) });

export const registered = (partnershipId: string, date: string, overrides: Partial<PartnershipDetails> = {}): PartnershipEvent => ({
  type: 'PartnershipRegistered',
  data: { partnershipId, ...details(overrides) },
  metadata: m(date),
});
export const joined = (partnershipId: string, partner: Organisation, date: string, lead = false, viaMergeOf?: string): PartnershipEvent => ({
  type: 'PartnerJoined',
  data: { partnershipId, partner, lead, ...(viaMergeOf && { viaMergeOf }) },
  metadata: m(date),
});
export const left = (partnershipId: string, orgId: string, date: string): PartnershipEvent => ({
  type: 'PartnerLeft',
  data: { partnershipId, orgId },
  metadata: m(date),
});
export const leadDesignated = (partnershipId: string, orgId: string, date: string): PartnershipEvent => ({
  type: 'LeadPartnerDesignated',
  data: { partnershipId, orgId },
  metadata: m(date),
});
export const amended = (partnershipId: string, changes: Partial<PartnershipDetails>, date: string): PartnershipEvent => ({
  type: 'PartnershipAmended',
  data: { partnershipId, changes },
  metadata: m(date),
});
export const reportFiled = (partnershipId: string, reportId: string, date: string): PartnershipEvent => ({
  type: 'ReportFiled',
  data: { partnershipId, reportId, period: { from: '2003-01-01', to: '2003-12-31' }, summary: 'Progress.', activities: ['publications'] },
  metadata: m(date),
});
export const ended = (partnershipId: string, reason: EndReason, date: string, mergedInto?: string): PartnershipEvent => ({
  type: 'PartnershipEnded',
  data: { partnershipId, reason, ...(mergedInto && { mergedInto }) },
  metadata: m(date),
});
/** The events of a merge, in the order the decider emits them (absorbed stream, then survivor). */
export const merged = (absorbed: string, into: string, date: string, carried: Organisation[] = []): PartnershipEvent[] => [
  { type: 'PartnershipMerged', data: { partnershipId: absorbed, into }, metadata: m(date) },
  ended(absorbed, 'merged', date, into),
  { type: 'PartnershipAbsorbed', data: { partnershipId: into, absorbed }, metadata: m(date) },
  ...carried.map((partner) => joined(into, partner, date, false, absorbed)),
];

/** Records the events (positions in the order given) and applies them to fresh documents. */
export async function project(projection: Projection, events: readonly (PartnershipEvent | PartnershipEvent[])[]): Promise<InMemoryDocuments> {
  const documents = new InMemoryDocuments();
  await applyRecorded(projection, new RecordedLog().record(events.flat()), documents);
  return documents;
}

export async function applyRecorded(projection: Projection, events: readonly RecordedEvent[], documents: InMemoryDocuments): Promise<void> {
  for (const event of events) await projection.apply(event, documents);
}
