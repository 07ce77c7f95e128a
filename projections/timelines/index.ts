import { asPartnershipEvent } from '@registry/domain';
import type { Actor, RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import { alreadyApplied, type PositionedDocument } from '../shared/partnership-state';
import { summarize } from './summary';

export const TIMELINES = 'timelines';
/** One document per event of a partnership: the entries of its timeline. */
export const TIMELINE_ENTRIES = 'timeline_entries';

/** Collection `timeline_entries`, `_id` = eventId: one step of a partnership's story. */
export interface TimelineEntry extends ProjectionDocument {
  _id: string;
  partnershipId: string;
  /**
   * The business order: the instant it took effect (normalised ISO), then its global position,
   * so a back-dated event sorts where it took effect and ties keep the log's order.
   */
  order: string;
  globalPosition: number;
  streamVersion: number;
  eventId: string;
  type: string;
  effectiveAt: string;
  recordedAt: string;
  actor: Actor;
  /** The rationale given with the command, when there was one. */
  reason?: string;
  summary: string;
}

/**
 * The head of the history of one partnership (`_id` = partnership id): what its entries do not
 * say, written only by the events that change it (a registration, a join, a merge). Its entries
 * are documents of their own (`timeline_entries`), each written once, so that most events (a
 * report, an amendment) cost one small write however long the story already is; the count and
 * the last version come from the entries (see `timelineView`).
 */
export interface TimelineDocument extends PositionedDocument {
  _id: string;
  partnershipId: string;
  /** Ids of the partnerships merged into this one: their timelines continue here. */
  mergedTimelines: string[];
  /** The partnership this one was merged into. */
  mergedInto: string | null;
  /** Name of every organisation that ever joined, by orgId: later events carry only the id. */
  _partnerNames: Record<string, string>;
}

/** A timeline as `GET /partnerships/:id/timeline` shows it, from its head and its entries. */
export interface TimelineView extends Omit<TimelineDocument, '_partnerNames' | 'lastPosition'> {
  entryCount: number;
  /** Stream version and recordedAt of the last event. */
  version: number;
  updatedAt: string | null;
}

/** The view of a timeline: its head, the number of its entries, and the entry of its last event (null: none). */
export function timelineView(head: TimelineDocument, entryCount: number, last: Pick<TimelineEntry, 'streamVersion' | 'recordedAt'> | null): TimelineView {
  const { _partnerNames, lastPosition, ...shown } = head;
  return { ...shown, entryCount, version: last?.streamVersion ?? 0, updatedAt: last?.recordedAt ?? null };
}

/** The events that change a timeline's head (or, for names, read it). */
const HEAD_EVENTS = new Set(['PartnershipRegistered', 'PartnerJoined', 'PartnerLeft', 'LeadPartnerDesignated', 'PartnershipAbsorbed', 'PartnershipMerged']);

/** `order` of an entry: sorts as (effective instant, global position). */
export function entryOrder(effectiveAt: string, globalPosition: number): string {
  return `${new Date(effectiveAt).toISOString()}#${String(globalPosition).padStart(15, '0')}`;
}

export const timelinesProjection: Projection = {
  name: 'timelines',
  // 2: entries in documents of their own (timeline_entries), no longer an array in the timeline.
  // 3: the head is written only by the events that change it; entries carry their stream version.
  version: 3,
  collections: [
    { name: TIMELINES, indexes: [{ keys: { mergedInto: 1 }, name: 'mergedInto' }] },
    { name: TIMELINE_ENTRIES, indexes: [{ keys: { partnershipId: 1, order: 1 }, name: 'partnershipId_order' }] },
  ],

  async apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    const domainEvent = asPartnershipEvent(event);
    if (!domainEvent) return;
    // An entry is keyed by its event: applied again (after a partial write on MongoDB) it is the same write.
    let head: TimelineDocument | null = null;
    if (HEAD_EVENTS.has(domainEvent.type)) {
      const previous = await documents.get<TimelineDocument>(TIMELINES, event.streamId);
      if (alreadyApplied(previous, event)) return;
      head = previous ?? { _id: event.streamId, partnershipId: event.streamId, mergedTimelines: [], mergedInto: null, lastPosition: 0, _partnerNames: {} };
    }
    const names = head?._partnerNames ?? {};

    const { actor, effectiveAt, recordedAt, reason } = event.metadata;
    documents.put<TimelineEntry>(TIMELINE_ENTRIES, {
      _id: event.eventId,
      partnershipId: event.streamId,
      order: entryOrder(effectiveAt, event.globalPosition),
      globalPosition: event.globalPosition,
      streamVersion: event.streamVersion,
      eventId: event.eventId,
      type: event.type,
      effectiveAt,
      recordedAt,
      actor: { id: actor.id, role: actor.role },
      ...(reason === undefined ? {} : { reason }),
      summary: summarize(domainEvent, (orgId) => names[orgId] ?? orgId),
    });
    if (!head) return;

    switch (domainEvent.type) {
      case 'PartnerJoined':
        head._partnerNames[domainEvent.data.partner.orgId] = domainEvent.data.partner.name;
        break;
      case 'PartnershipAbsorbed':
        if (!head.mergedTimelines.includes(domainEvent.data.absorbed)) head.mergedTimelines.push(domainEvent.data.absorbed);
        break;
      case 'PartnershipMerged':
        head.mergedInto = domainEvent.data.into;
        break;
      case 'PartnerLeft':
      case 'LeadPartnerDesignated':
        return; // the head was read for names only
      default:
        break;
    }
    head.lastPosition = event.globalPosition;
    documents.put(TIMELINES, head);
  },
};
