import type { EndReason } from '@registry/shared-kernel';
import type { Instant, Organisation, PartnershipDetails, ProgressReport } from './partnership';

/**
 * Events in the style of Emmett: `{ type, data, metadata }`, a discriminated union on `type`.
 * `metadata.effectiveAt` is the business instant the event takes effect; the rest of the envelope
 * (actor, recordedAt, positions, hash) is added by the application when it appends.
 */
export interface DomainEventOf<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: { effectiveAt: Instant };
}

export type PartnershipRegistered = DomainEventOf<
  'PartnershipRegistered',
  { partnershipId: string } & PartnershipDetails
>;

export type PartnerJoined = DomainEventOf<
  'PartnerJoined',
  {
    partnershipId: string;
    partner: Organisation;
    lead: boolean;
    /** Set when the partner was carried over from a partnership merged into this one. */
    viaMergeOf?: string;
  }
>;

export type PartnerLeft = DomainEventOf<'PartnerLeft', { partnershipId: string; orgId: string }>;

export type LeadPartnerDesignated = DomainEventOf<
  'LeadPartnerDesignated',
  { partnershipId: string; orgId: string }
>;

export type ReportFiled = DomainEventOf<'ReportFiled', { partnershipId: string } & ProgressReport>;

/** A correction or update: only the attributes named in `changes` are replaced. */
export type PartnershipAmended = DomainEventOf<
  'PartnershipAmended',
  { partnershipId: string; changes: Partial<PartnershipDetails> }
>;

/** On the absorbed stream. Followed on that stream by `PartnershipEnded` with reason `merged`. */
export type PartnershipMerged = DomainEventOf<'PartnershipMerged', { partnershipId: string; into: string }>;

/** On the surviving stream. Followed there by one `PartnerJoined` per partner it did not have. */
export type PartnershipAbsorbed = DomainEventOf<
  'PartnershipAbsorbed',
  { partnershipId: string; absorbed: string }
>;

export type PartnershipEnded = DomainEventOf<
  'PartnershipEnded',
  { partnershipId: string; reason: EndReason; mergedInto?: string }
>;

export type PartnershipEvent =
  | PartnershipRegistered
  | PartnerJoined
  | PartnerLeft
  | LeadPartnerDesignated
  | ReportFiled
  | PartnershipAmended
  | PartnershipMerged
  | PartnershipAbsorbed
  | PartnershipEnded;

export type PartnershipEventType = PartnershipEvent['type'];

export const PARTNERSHIP_EVENT_TYPES: readonly PartnershipEventType[] = [
  'PartnershipRegistered',
  'PartnerJoined',
  'PartnerLeft',
  'LeadPartnerDesignated',
  'ReportFiled',
  'PartnershipAmended',
  'PartnershipMerged',
  'PartnershipAbsorbed',
  'PartnershipEnded',
];

/** Every event type is at schema version 1; an upcaster goes here when one changes shape. */
export const CURRENT_SCHEMA_VERSION = 1;

const EVENT_TYPES: ReadonlySet<string> = new Set(PARTNERSHIP_EVENT_TYPES);

/**
 * The domain event a stored event carries (`{type, data, metadata: {effectiveAt}}`), or null when
 * its type is not a partnership event (a reader of the whole log then skips it).
 */
export function asPartnershipEvent(stored: { type: string; data: unknown; metadata: { effectiveAt: string } }): PartnershipEvent | null {
  if (!EVENT_TYPES.has(stored.type)) return null;
  return { type: stored.type, data: stored.data, metadata: { effectiveAt: stored.metadata.effectiveAt } } as PartnershipEvent;
}
