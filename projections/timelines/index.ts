import { asPartnershipEvent } from '@registry/domain';
import type { Actor, RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocuments } from '@registry/projector';
import {
  alreadyApplied,
  compareEffective,
  type PositionedDocument,
} from '../shared/partnership-state';
import { summarize } from './summary';

export const TIMELINES = 'timelines';

export interface TimelineEntry {
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
 * The history of one partnership (`_id` = partnership id), in business order: entries sorted by
 * (effectiveAt, globalPosition), so a back-dated event lands where it took effect. Merges link
 * the timelines both ways.
 */
export interface TimelineDocument extends PositionedDocument {
  _id: string;
  partnershipId: string;
  entries: TimelineEntry[];
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

export const timelinesProjection: Projection = {
  name: 'timelines',
  version: 1,
  collections: [{ name: TIMELINES, indexes: [{ keys: { mergedInto: 1 }, name: 'mergedInto' }] }],

  async apply(event: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    const domainEvent = asPartnershipEvent(event);
    if (!domainEvent) return;
    const previous = await documents.get<TimelineDocument>(TIMELINES, event.streamId);
    if (alreadyApplied(previous, event)) return;

    const timeline: TimelineDocument = previous ?? {
      _id: event.streamId,
      partnershipId: event.streamId,
      entries: [],
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
    const entry: TimelineEntry = {
      globalPosition: event.globalPosition,
      eventId: event.eventId,
      type: event.type,
      effectiveAt,
      recordedAt,
      actor: { id: actor.id, role: actor.role },
      ...(reason === undefined ? {} : { reason }),
      summary: summarize(domainEvent, (orgId) => timeline._partnerNames[orgId] ?? orgId),
    };
    // Insert at its place: after every entry that takes effect before it (or at the same time,
    // earlier in the log). Most events take effect last, so look from the end.
    let at = timeline.entries.length;
    while (at > 0 && compareEffective(timeline.entries[at - 1], entry) > 0) at--;
    timeline.entries.splice(at, 0, entry);

    timeline.version = event.streamVersion;
    timeline.updatedAt = recordedAt;
    timeline.lastPosition = event.globalPosition;
    documents.put(TIMELINES, timeline);
  },
};
