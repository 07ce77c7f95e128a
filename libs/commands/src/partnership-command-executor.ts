import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CURRENT_SCHEMA_VERSION,
  decide,
  decideMerge,
  type MergePartnership,
  type PartnershipEvent,
  type SingleStreamCommand,
} from '@registry/domain';
import {
  EVENT_STORE,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '@registry/event-store';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { ConcurrencyConflict, IdempotencyKeyReused, KeyedQueue, toInstant, uuidV7 } from '@registry/shared-kernel';
import type { CommandContext, CommandOutcome } from './command-context';
import type { CommandInputDto } from './dto';
import { PartnershipRepository, type LoadedPartnership } from './partnership-repository';

type CommandMetadata = SingleStreamCommand['metadata'];

/** One stream's part of an append, with the state it was decided on and the state it leads to. */
interface PreparedAppend {
  request: AppendRequest;
  loaded: LoadedPartnership;
  next: LoadedPartnership;
}

/** Command input as a handler builds it: the domain command less the clock metadata. */
export type CommandDraft<C extends { metadata: unknown }> = Omit<C, 'metadata'>;

/**
 * The one place where commands meet the store: idempotency, optimistic concurrency with bounded
 * retries, the event envelope's metadata, and appending. Handlers only translate input.
 */
@Injectable()
export class PartnershipCommandExecutor {
  /**
   * Commands on one partnership take turns in this process: the later one decides on the state
   * the earlier one left (the repository keeps it) instead of being refused by the store as a
   * conflict and decided again from a read of the stream. Other processes writing the same
   * stream still meet optimistic concurrency below.
   */
  private readonly streams = new KeyedQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly partnerships: PartnershipRepository,
  ) {}

  execute(draft: CommandDraft<SingleStreamCommand>, input: CommandInputDto, context: CommandContext): Promise<CommandOutcome> {
    const partnershipId = draft.data.partnershipId;
    return this.run([partnershipId], context, async (metadata, fresh) => {
      const loaded = await this.load(partnershipId, context, fresh);
      const events = decide({ ...draft, metadata } as SingleStreamCommand, loaded.state);
      const envelope = this.envelopeFactory(context, metadata, input.rationale);
      return [this.prepared(partnershipId, loaded, events, events.map((e) => envelope(e)))];
    }, input.effectiveDate);
  }

  /** A merge writes to two streams in one atomic append; If-Match applies to the absorbed one. */
  merge(draft: CommandDraft<MergePartnership>, input: CommandInputDto, context: CommandContext): Promise<CommandOutcome> {
    const { partnershipId, into } = draft.data;
    return this.run([partnershipId, into], context, async (metadata, fresh) => {
      const absorbed = await this.load(partnershipId, context, fresh);
      const survivor = await this.partnerships.load(into, { fresh });
      const decided = decideMerge({ ...draft, metadata }, absorbed.state, survivor.state);
      const envelope = this.envelopeFactory(context, metadata, input.rationale);
      const absorbedEvents = decided.absorbed.map((e) => envelope(e));
      const mergedEventId = absorbedEvents.find((e) => e.type === 'PartnershipMerged')?.eventId;
      // Partners carried over are caused by the merge event, not directly by the command.
      const survivorEvents = decided.survivor.map((e) =>
        envelope(e, e.type === 'PartnerJoined' && e.data.viaMergeOf ? mergedEventId : undefined),
      );
      return [this.prepared(partnershipId, absorbed, decided.absorbed, absorbedEvents), this.prepared(into, survivor, decided.survivor, survivorEvents)];
    }, input.effectiveDate);
  }

  private run(
    streamIds: string[],
    context: CommandContext,
    prepare: (metadata: CommandMetadata, fresh: boolean) => Promise<PreparedAppend[]>,
    effectiveDate?: string,
  ): Promise<CommandOutcome> {
    return this.streams.run(streamIds, () => this.runInTurn(context, prepare, effectiveDate));
  }

  private async runInTurn(
    context: CommandContext,
    prepare: (metadata: CommandMetadata, fresh: boolean) => Promise<PreparedAppend[]>,
    effectiveDate?: string,
  ): Promise<CommandOutcome> {
    const idempotency = context.idempotency && {
      key: `${context.principal.id}\u0000${context.idempotency.key}`,
      requestHash: context.idempotency.requestHash,
    };
    if (idempotency) {
      const earlier = await this.store.findIdempotencyRecord(idempotency.key);
      if (earlier) {
        if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused(context.idempotency!.key);
        return { ...outcome(earlier.result), replayed: true };
      }
    }
    const now = (context.now ?? new Date()).toISOString();
    const metadata = { now, effectiveAt: effectiveDate ? toInstant(effectiveDate) : now };
    // With If-Match a conflict is the caller's to resolve, but a stale cache is ours: one more try.
    const attempts = context.expectedVersion === undefined ? this.config.commandRetries + 1 : 2;
    for (let attempt = 1; ; attempt++) {
      // The first attempt may decide on a cached state; after a conflict, on the store's.
      const fresh = attempt > 1;
      let prepared: PreparedAppend[];
      try {
        prepared = await prepare(metadata, fresh);
      } catch (error) {
        // A refusal must come from the store's state, not from a cache another process outdated.
        if (fresh || error instanceof ConcurrencyConflict) throw error;
        prepared = await prepare(metadata, true);
      }
      try {
        const result = await this.store.appendMulti(prepared.map((p) => p.request), { idempotency });
        if (!result.replayed) {
          for (const { request, loaded, next } of prepared) {
            this.partnerships.appended(request.streamId, loaded, next, result.streamVersions[request.streamId]);
          }
        }
        return outcome(result);
      } catch (error) {
        // Without If-Match the caller asked us to decide on the latest state: decide again.
        if (!(error instanceof ConcurrencyConflict) || attempt >= attempts) throw error;
      }
    }
  }

  /** The append of `events` (`decided` in their envelopes) on `loaded`, with the stream's snapshot when one is due. */
  private prepared(streamId: string, loaded: LoadedPartnership, decided: PartnershipEvent[], events: NewEvent[]): PreparedAppend {
    const { next, snapshot } = this.partnerships.next(loaded, decided);
    return { request: { streamId, expectedVersion: loaded.version, events, ...(snapshot && { snapshot }) }, loaded, next };
  }

  /** The addressed partnership; with If-Match, a version that differs is checked against the store before it is a 409. */
  private async load(partnershipId: string, context: CommandContext, fresh: boolean): Promise<LoadedPartnership> {
    let loaded = await this.partnerships.load(partnershipId, { fresh });
    if (context.expectedVersion === undefined || context.expectedVersion === loaded.version) return loaded;
    if (!fresh) loaded = await this.partnerships.load(partnershipId, { fresh: true });
    if (context.expectedVersion !== loaded.version) throw new ConcurrencyConflict(partnershipId, context.expectedVersion, loaded.version);
    return loaded;
  }

  private envelopeFactory(context: CommandContext, metadata: CommandMetadata, rationale?: string) {
    const commandId = randomUUID();
    return (event: PartnershipEvent, causationId: string = commandId): NewEvent => ({
      // Time-ordered: the log's event id index and the read models keyed by event id grow at one edge.
      eventId: uuidV7(),
      type: event.type,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      data: event.data,
      metadata: {
        actor: { id: context.principal.id, role: context.principal.role },
        effectiveAt: event.metadata.effectiveAt,
        correlationId: context.correlationId,
        causationId,
        ...(rationale !== undefined && { reason: rationale }),
        ...(context.source && { source: context.source }),
      },
    });
  }
}

/** The addressed partnership is the stream of the first event (a replay may predate a generated id). */
function outcome(result: AppendResult): CommandOutcome {
  const partnershipId = result.events[0].streamId;
  return {
    partnershipId,
    version: result.streamVersions[partnershipId] ?? 0,
    position: result.lastPosition,
    events: result.events,
    replayed: result.replayed,
  };
}
