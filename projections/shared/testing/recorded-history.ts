import {
  decide,
  decideMerge,
  evolve,
  initialState,
  type PartnershipEvent,
  type PartnershipState,
  type SingleStreamCommand,
} from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { ImportLine } from '@registry/generator';
import type { Projection, ProjectionDocuments } from '@registry/projector';
import { toInstant } from '@registry/shared-kernel';

/**
 * Test support: turns domain events into `RecordedEvent`s with gap-free positions and stream
 * versions, as the event store would record them (hash and ids are placeholders).
 */
export class RecordedLog {
  readonly events: RecordedEvent[] = [];
  private readonly versions = new Map<string, number>();

  record(events: readonly PartnershipEvent[], recordedAt?: string): RecordedEvent[] {
    return events.map((event) => {
      const streamId = (event.data as { partnershipId: string }).partnershipId;
      const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
      this.versions.set(streamId, streamVersion);
      const globalPosition = this.events.length + 1;
      const recorded: RecordedEvent = {
        eventId: `event-${globalPosition}`,
        streamId,
        streamVersion,
        globalPosition,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: {
          actor: { id: 'test', role: 'secretariat' },
          recordedAt: recordedAt ?? event.metadata.effectiveAt,
          effectiveAt: event.metadata.effectiveAt,
          correlationId: `correlation-${globalPosition}`,
          causationId: `causation-${globalPosition}`,
        },
        hash: '',
      };
      this.events.push(recorded);
      return recorded;
    });
  }
}

/** A "now" after every generated date, so no command is refused as being in the future. */
const NOW = '2100-01-01T00:00:00.000Z';

/**
 * The events the registry appends when `lines` are imported in order: each line becomes the
 * command the HTTP handlers build (same defaults), decided by the real deciders on the state
 * folded so far; positions follow line order, effectiveAt is the line's effective date.
 */
export function recordedHistory(lines: Iterable<ImportLine>): RecordedEvent[] {
  const log = new RecordedLog();
  const states = new Map<string, PartnershipState>();
  const stateOf = (id: string) => states.get(id) ?? initialState;
  const fold = (events: PartnershipEvent[]) => {
    for (const event of events) {
      const id = (event.data as { partnershipId: string }).partnershipId;
      states.set(id, evolve(stateOf(id), event));
    }
    log.record(events);
  };

  for (const line of lines) {
    const metadata = { now: NOW, effectiveAt: toInstant(line.effectiveDate) };
    if (line.command === 'MergePartnership') {
      const { partnershipId, into } = line.data;
      const { absorbed, survivor } = decideMerge({ type: 'MergePartnership', data: { partnershipId, into }, metadata }, stateOf(partnershipId), stateOf(into));
      fold([...absorbed, ...survivor]);
      continue;
    }
    const command = toCommand(line, metadata);
    fold(decide(command, stateOf(command.data.partnershipId)));
  }
  return log.events;
}

type Metadata = SingleStreamCommand['metadata'];

function toCommand(line: Exclude<ImportLine, { command: 'MergePartnership' }>, metadata: Metadata): SingleStreamCommand {
  switch (line.command) {
    case 'RegisterPartnership': {
      const d = line.data;
      return {
        type: 'RegisterPartnership',
        metadata,
        data: {
          partnershipId: d.id,
          name: d.name,
          description: d.description ?? '',
          themes: { primary: d.themes.primary, secondary: d.themes.secondary ?? [] },
          scope: d.scope,
          regions: d.regions ?? [],
          countries: d.countries ?? [],
          startDate: d.startDate,
          endDate: d.endDate ?? null,
          resources: d.resources ?? null,
          mechanisms: d.mechanisms ?? [],
          partners: d.partners.map(({ lead, ...partner }) => ({ ...partner, lead: lead === true })),
        },
      };
    }
    case 'JoinPartner': {
      const { partnershipId, lead, ...partner } = line.data;
      return { type: 'JoinPartner', metadata, data: { partnershipId, partner: { ...partner, lead: lead === true } } };
    }
    case 'LeavePartner':
      return { type: 'LeavePartner', metadata, data: line.data };
    case 'DesignateLead':
      return { type: 'DesignateLead', metadata, data: line.data };
    case 'FileReport':
      return { type: 'FileReport', metadata, data: line.data };
    case 'AmendPartnership': {
      const { partnershipId, ...changes } = line.data;
      if (changes.themes) changes.themes = { primary: changes.themes.primary, secondary: changes.themes.secondary ?? [] };
      return { type: 'AmendPartnership', metadata, data: { partnershipId, changes } };
    }
    case 'EndPartnership':
      return { type: 'EndPartnership', metadata, data: line.data };
  }
}

/** Applies recorded events in order to a projection's documents. */
export async function applyAll(projection: Projection, events: readonly RecordedEvent[], documents: ProjectionDocuments): Promise<void> {
  for (const event of events) await projection.apply(event, documents);
}
