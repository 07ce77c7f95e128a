import {
  asPartnershipEvent,
  evolve,
  initialState,
  type ExistingPartnership,
  type PartnershipState,
} from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionDocument } from '@registry/projector';

/**
 * What the read models share: turning a recorded event back into the domain event it carries and
 * folding it with the domain's own `evolve`, so no projection re-implements the registry's rules
 * (e.g. a back-dated amendment does not override a later-effective value recorded before it).
 */

/** True for the events of a partnership stream (anything else in the log is not ours to read). */
export function isPartnershipEvent(event: RecordedEvent): boolean {
  return asPartnershipEvent(event) !== null;
}

/** The state after `event`, from the state before it (`null`: the stream had no event yet). */
export function foldEvent(state: PartnershipState | null | undefined, event: RecordedEvent): PartnershipState {
  const domainEvent = asPartnershipEvent(event);
  return domainEvent ? evolve(state ?? initialState, domainEvent) : state ?? initialState;
}

export function isExisting(state: PartnershipState): state is ExistingPartnership {
  return state.status !== 'unknown';
}

/**
 * Every document a projection keeps per partnership records the global position of the last
 * event applied to it, so that replaying from a checkpoint after a partial write (MongoDB has no
 * multi-document transaction) applies nothing twice.
 */
export interface PositionedDocument extends ProjectionDocument {
  lastPosition: number;
}

export function alreadyApplied(document: PositionedDocument | null, event: RecordedEvent): boolean {
  return document !== null && document.lastPosition >= event.globalPosition;
}
