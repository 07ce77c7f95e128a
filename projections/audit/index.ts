import type { PartnershipState } from '@registry/domain';
import type { Actor, EventSource, RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import { alreadyApplied, foldEvent, isPartnershipEvent, type PositionedDocument } from '../shared/partnership-state';
import { diffStates, type FieldChange } from './diff';

export type { FieldChange } from './diff';

export const AUDIT = 'audit';
/** The domain state of each partnership after the last event audited: what the next diff starts from. */
export const AUDIT_STATES = 'audit_states';

/** One event of the log as an auditor reads it (`_id` = eventId): who, when, why, under what authority, and what it changed. */
export interface AuditDocument extends ProjectionDocument {
  _id: string;
  eventId: string;
  /** The stream id. */
  partnershipId: string;
  globalPosition: number;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  actor: Actor;
  recordedAt: string;
  effectiveAt: string;
  reason: string | null;
  correlationId: string;
  causationId: string;
  source: EventSource | null;
  /** The event's link in the hash chain. */
  hash: string;
  /** The event's payload, as recorded. */
  data: unknown;
  /**
   * What the event changed in the partnership's state, attribute by attribute. Empty when it
   * changed nothing current (e.g. a back-dated amendment superseded by a later-effective one).
   */
  changes: FieldChange[];
}

export interface AuditStateDocument extends PositionedDocument {
  _id: string;
  state: PartnershipState;
}

export const auditProjection: Projection = {
  name: 'audit',
  // 2: a report shows in the diff as the report count, not as the whole list of report ids.
  version: 2,
  collections: [
    {
      name: AUDIT,
      indexes: [
        { keys: { partnershipId: 1, globalPosition: 1 }, name: 'partnershipId_globalPosition' },
        { keys: { 'actor.id': 1 }, name: 'actor_id' },
        { keys: { recordedAt: 1 }, name: 'recordedAt' },
        { keys: { correlationId: 1 }, name: 'correlationId' },
      ],
    },
    { name: AUDIT_STATES, indexes: [] },
  ],

  async apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    if (!isPartnershipEvent(event)) return;
    const stored = await documents.get<AuditStateDocument>(AUDIT_STATES, event.streamId);
    if (alreadyApplied(stored, event)) return;

    const before: PartnershipState = stored?.state ?? { status: 'unknown' };
    const after = foldEvent(before, event);
    documents.put(AUDIT, toAuditDocument(event, diffStates(before, after)));
    documents.put<AuditStateDocument>(AUDIT_STATES, { _id: event.streamId, state: after, lastPosition: event.globalPosition });
  },
};

function toAuditDocument(event: RecordedEvent, changes: FieldChange[]): AuditDocument {
  const { actor, recordedAt, effectiveAt, reason, correlationId, causationId, source } = event.metadata;
  return {
    _id: event.eventId,
    eventId: event.eventId,
    partnershipId: event.streamId,
    globalPosition: event.globalPosition,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    actor: { id: actor.id, role: actor.role },
    recordedAt,
    effectiveAt,
    reason: reason ?? null,
    correlationId,
    causationId,
    source: source ?? null,
    hash: event.hash,
    data: event.data,
    changes,
  };
}
