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
 * The head of the history of one partnership (`_id` = partnership id); its entries are documents
 * of their own (`timeline_entries`), each written once, so that an event costs one small write
 * however long the story already is. Merges link the timelines both ways.
 */
export interface TimelineDocument extends PositionedDocument {
  _id: string;
  partnershipId: string;
  /** Entries so far. */
  entryCount: number;
  /** Ids of the partnerships merged into this one: their timelines continue here. */
  mergedTimelines: string[];
  /** The partnership this one was merged into. */
  mergedInto: string | null;
  /** Stream version and recordedAt of the last event applied. */
  version: number;
  updatedAt: string;
  /** Name of every organisation that ever joined, by orgId: later events carry only the id. */
  _partnerNames: Record<string, string>;
}

/** `order` of an entry: sorts as (effective instant, global position). */
export function entryOrder(effectiveAt: string, globalPosition: number): string {
  return `${new Date(effectiveAt).toISOString()}#${String(globalPosition).padStart(15, '0')}`;
}

export const timelinesProjection: Projection = {
  name: 'timelines',
  // 2: entries in documents of their own (timeline_entries), no longer an array in the timeline.
  version: 2,
  collections: [
    { name: TIMELINES, indexes: [{ keys: { mergedInto: 1 }, name: 'mergedInto' }] },
    { name: TIMELINE_ENTRIES, indexes: [{ keys: { partnershipId: 1, order: 1 }, name: 'partnershipId_order' }] },
  ],

  async apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    const domainEvent = asPartnershipEvent(event);
    if (!domainEvent) return;
    const previous = await documents.get<TimelineDocument>(TIMELINES, event.streamId);
    if (alreadyApplied(previous, event)) return;

    const timeline: TimelineDocument = previous ?? {
      _id: event.streamId,
      partnershipId: event.streamId,
      entryCount: 0,
      mergedTimelines: [],
      mergedInto: null,
      version: 0,
      updatedAt: event.metadata.recordedAt,
      lastPosition: 0,
      _partnerNames: {},
    };
    switch (domainEvent.type) {
      case 'PartnerJoined':
        timeline._partnerNames[domainEvent.data.partner.orgId] = domainEvent.data.partner.name;
        break;
      case 'PartnershipAbsorbed':
        if (!timeline.mergedTimelines.includes(domainEvent.data.absorbed)) timeline.mergedTimelines.push(domainEvent.data.absorbed);
        break;
      case 'PartnershipMerged':
        timeline.mergedInto = domainEvent.data.into;
        break;
      default:
        break;
    }

    const { actor, effectiveAt, recordedAt, reason } = event.metadata;
    documents.put<TimelineEntry>(TIMELINE_ENTRIES, {
      _id: event.eventId,
      partnershipId: event.streamId,
      order: entryOrder(effectiveAt, event.globalPosition),
      globalPosition: event.globalPosition,
      eventId: event.eventId,
      type: event.type,
      effectiveAt,
      recordedAt,
      actor: { id: actor.id, role: actor.role },
      ...(reason === undefined ? {} : { reason }),
      summary: summarize(domainEvent, (orgId) => timeline._partnerNames[orgId] ?? orgId),
    });
    timeline.entryCount++;
    timeline.version = event.streamVersion;
    timeline.updatedAt = recordedAt;
    timeline.lastPosition = event.globalPosition;
    documents.put(TIMELINES, timeline);
  },
};

