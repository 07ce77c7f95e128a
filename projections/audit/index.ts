import type { PartnershipState } from '@registry/domain';
import type { Actor, EventSource, RecordedEvent } from '@registry/event-store';
import type { ProjectionCollection, ProjectionDocument } from '@registry/projector';
import { diffStates, type FieldChange } from './diff';

export type { FieldChange } from './diff';

/**
 * The audit trail: one document per event of a partnership. The partnerships projection keeps it
 * (see there), as the diff of an event needs the partnership's state before it, which that
 * projection folds anyway: a projection of its own would keep a second copy of every state.
 */
export const AUDIT = 'audit';

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

export const AUDIT_COLLECTION: ProjectionCollection = {
  name: AUDIT,
  indexes: [
    // The one query (`GET /partnerships/:id/audit`, by position). An index no query uses is not
    // free: the embedded store keeps every document's indexed fields in memory, and the audit
    // has a document per event: with three more indexes, the keys of a generated registry of
    // 10,000 partnerships (242,555 events) took 146 MB of heap, 101 MB without.
    { keys: { partnershipId: 1, globalPosition: 1 }, name: 'partnershipId_globalPosition' },
  ],
};

/** The audit document of `event`, which took the partnership from `before` to `after`. */
export function auditDocument(event: RecordedEvent, before: PartnershipState, after: PartnershipState): AuditDocument {
  return toAuditDocument(event, diffStates(before, after));
}

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
