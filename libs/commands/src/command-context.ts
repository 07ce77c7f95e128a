import type { Principal } from '@registry/auth';
import type { AppendedEventRef, EventSource } from '@registry/event-store';

/** Everything about a command that is not its data: who, how it arrived, what it expects. */
export interface CommandContext {
  principal: Principal;
  correlationId: string;
  /** From If-Match: the stream version the caller decided on. Absent: decide on the latest. */
  expectedVersion?: number;
  /** With `requestHash`: replays the first outcome for a repeated request. */
  idempotency?: { key: string; requestHash: string };
  /** Where a command fed from a file came from. */
  source?: EventSource;
  /** The server clock; injectable for tests. */
  now?: Date;
}

/** What a command handler returns: enough for the HTTP layer's body, ETag and position headers. */
export interface CommandOutcome {
  partnershipId: string;
  /** Version of `partnershipId`'s stream after the command. */
  version: number;
  /** Global position of the last event written. */
  position: number;
  events: AppendedEventRef[];
  /** True when an earlier request with the same Idempotency-Key produced this outcome. */
  replayed: boolean;
}
