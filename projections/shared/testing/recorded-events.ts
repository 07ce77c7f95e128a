import type { NewPartner, PartnershipDetails, PartnershipEvent, ProgressReport } from '@registry/domain';
import type { Actor, EventSource, RecordedEvent } from '@registry/event-store';
import { InMemoryDocuments, type Projection } from '@registry/projector';
import { toInstant } from '@registry/shared-kernel';

/**
 * Test fixtures of the read models: a log that records domain events as the event store would
 * (gap-free global positions, stream versions, an envelope), and `project` to run a projection
 * over them on `InMemoryDocuments`. Written out rather than decided, so "given" does not depend on
 * the command side.
 */

export const SECRETARIAT: Actor = { id: 'secretariat-1', role: 'secretariat' };
export const FOCAL_POINT: Actor = { id: 'fp-asgm', role: 'focal-point' };

export interface RecordOptions {
  /** Defaults to the effective date's next day at noon. */
  recordedAt?: string;
  actor?: Actor;
  reason?: string;
  correlationId?: string;
  causationId?: string;
  source?: EventSource;
}

type Data<T extends PartnershipEvent['type']> = Extract<PartnershipEvent, { type: T }>['data'];

export class EventLog {
  readonly events: RecordedEvent[] = [];
  private readonly versions = new Map<string, number>();

  /** Records one event of `streamId` (the partnership id), effective on `effective` (date or instant). */
  record<T extends PartnershipEvent['type']>(
    type: T,
    data: Data<T>,
    effective: string,
    options: RecordOptions = {},
  ): RecordedEvent {
    const streamId = (data as { partnershipId: string }).partnershipId;
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    const globalPosition = this.events.length + 1;
    const effectiveAt = toInstant(effective);
    const eventId = `evt-${globalPosition}`;
    const event: RecordedEvent = {
      eventId,
      streamId,
      streamVersion,
      globalPosition,
      type,
      schemaVersion: 1,
      data: structuredClone(data),
      metadata: {
        actor: options.actor ?? SECRETARIAT,
        recordedAt: options.recordedAt ? toInstant(options.recordedAt) : new Date(Date.parse(effectiveAt) + 36 * 3600_000).toISOString(),
        effectiveAt,
        correlationId: options.correlationId ?? `corr-${globalPosition}`,
        causationId: options.causationId ?? `corr-${globalPosition}`,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
        ...(options.source === undefined ? {} : { source: options.source }),
      },
      hash: globalPosition.toString(16).padStart(64, '0'),
    };
    this.events.push(event);
    return event;
  }

  /** `PartnershipRegistered` and one `PartnerJoined` per partner, as the register command writes them. */
  register(partnershipId: string, details: PartnershipDetails, partners: NewPartner[], effective: string, options: RecordOptions = {}): RecordedEvent[] {
    const correlationId = options.correlationId ?? `register-${partnershipId}`;
    return [
      this.record('PartnershipRegistered', { partnershipId, ...details }, effective, { ...options, correlationId }),
      ...partners.map(({ lead, ...partner }) =>
        this.record('PartnerJoined', { partnershipId, partner, lead: lead === true }, effective, { ...options, correlationId }),
      ),
    ];
  }

  join(partnershipId: string, { lead, ...partner }: NewPartner, effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('PartnerJoined', { partnershipId, partner, lead: lead === true }, effective, options);
  }

  leave(partnershipId: string, orgId: string, effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('PartnerLeft', { partnershipId, orgId }, effective, options);
  }

  designateLead(partnershipId: string, orgId: string, effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('LeadPartnerDesignated', { partnershipId, orgId }, effective, options);
  }

  fileReport(partnershipId: string, report: ProgressReport, effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('ReportFiled', { partnershipId, ...report }, effective, { actor: FOCAL_POINT, ...options });
  }

  amend(partnershipId: string, changes: Partial<PartnershipDetails>, effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('PartnershipAmended', { partnershipId, changes }, effective, options);
  }

  end(partnershipId: string, reason: 'completed' | 'dissolved' | 'inactive', effective: string, options: RecordOptions = {}): RecordedEvent {
    return this.record('PartnershipEnded', { partnershipId, reason }, effective, options);
  }

  /**
   * What the merge command writes atomically, absorbed stream first: `PartnershipMerged` and
   * `PartnershipEnded` (merged), then on the survivor `PartnershipAbsorbed` and one
   * `PartnerJoined` per carried-over partner (as a non-lead), all caused by the merge event.
   */
  merge(absorbed: string, into: string, carried: NewPartner[], effective: string, options: RecordOptions = {}): RecordedEvent[] {
    const correlationId = options.correlationId ?? `merge-${absorbed}`;
    const merged = this.record('PartnershipMerged', { partnershipId: absorbed, into }, effective, { ...options, correlationId, causationId: correlationId });
    const causationId = merged.eventId;
    const opts = { ...options, correlationId, causationId };
    return [
      merged,
      this.record('PartnershipEnded', { partnershipId: absorbed, reason: 'merged', mergedInto: into }, effective, opts),
      this.record('PartnershipAbsorbed', { partnershipId: into, absorbed }, effective, opts),
      ...carried.map(({ lead: _lead, ...partner }) =>
        this.record('PartnerJoined', { partnershipId: into, partner, lead: false, viaMergeOf: absorbed }, effective, opts),
      ),
    ];
  }
}

/** Applies the events in global position order, as the projector runtime does, to fresh documents. */
export async function project(projection: Projection, events: readonly RecordedEvent[], documents = new InMemoryDocuments()): Promise<InMemoryDocuments> {
  for (const event of [...events].sort((a, b) => a.globalPosition - b.globalPosition)) {
    await projection.apply(event, documents);
  }
  return documents;
}

// --- the partnerships of the examples: the Global Mercury Partnership's areas and PCFV ---

export const UNEP: NewPartner = { orgId: 'unep', name: 'UNEP', type: 'un-system', lead: true };
export const USA: NewPartner = { orgId: 'us-government', name: 'United States of America', type: 'government', country: 'US', lead: false };
export const NRDC: NewPartner = { orgId: 'nrdc', name: 'Natural Resources Defense Council', type: 'ngo', lead: false };
export const UNIDO: NewPartner = { orgId: 'unido', name: 'UNIDO', type: 'un-system', lead: true };
export const KENYA: NewPartner = { orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: false };
export const ISWA: NewPartner = { orgId: 'iswa', name: 'International Solid Waste Association', type: 'ngo', lead: false };

export const ASGM = 'gmp-asgm';
export const WASTE = 'gmp-waste';

export const asgmDetails: PartnershipDetails = {
  name: 'Reducing Mercury in Artisanal and Small-Scale Gold Mining',
  description: 'Reduce mercury use and emissions in artisanal gold mining.',
  themes: { primary: ['chemicals', 'mining'], secondary: ['health'] },
  scope: 'global',
  regions: [],
  countries: [],
  startDate: '2005-02-01',
  endDate: null,
  resources: { financialSecured: true, inKind: ['staff'], seekingFunding: false, fundingSources: ['government'] },
  mechanisms: ['training', 'technology-transfer'],
};

export const wasteDetails: PartnershipDetails = {
  name: 'Mercury Waste Management',
  description: 'Environmentally sound management of mercury-containing waste.',
  themes: { primary: ['waste-management'], secondary: ['chemicals'] },
  scope: 'regional',
  regions: ['asia-pacific'],
  countries: ['JP', 'TH'],
  startDate: '2006-01-01',
  endDate: '2012-12-31',
  resources: null,
  mechanisms: ['institutional-capacity'],
};
