import { Inject, Injectable } from '@nestjs/common';
import {
  asPartnershipEvent,
  evolve,
  initialState,
  type PartnershipEvent,
  type PartnershipState,
  STATE_SNAPSHOT_SCHEMA_VERSION,
} from '@registry/domain';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type AppendRequest, type EventStore, type RecordedEvent } from '@registry/event-store';

export interface LoadedPartnership {
  state: PartnershipState;
  /** Stream version the state reflects (0: no such partnership). */
  version: number;
  /** Version of the stream's latest snapshot as far as this process knows (0: none). */
  snapshotVersion: number;
}

/**
 * A stream gets a snapshot once this many events have passed since its last one, or a tenth of
 * its length when that is more: a state grows with its reports, so a long stream is snapshotted
 * less often and the bytes written per event stay bounded. A cold load then folds at most that
 * many events after the snapshot instead of the whole stream (a 25-event stream took 300-450 µs
 * to read and fold, the main cost of the first command on each partnership after a restart).
 */
const SNAPSHOT_EVERY = 10;

function snapshotDue(snapshotVersion: number, version: number): boolean {
  return version - snapshotVersion >= Math.max(SNAPSHOT_EVERY, Math.floor(snapshotVersion / 10));
}

/**
 * Loads the current state of a partnership stream. `evolve` gives the same state whether a
 * stream is folded in recording or in effective order, so states are cached and brought up to
 * date by folding only the events after the cached version; the cache is an optimisation, the
 * store stays the truth (another process may have appended). A state not cached starts from the
 * stream's snapshot, which appends carry now and then (`next`).
 */
@Injectable()
export class PartnershipRepository {
  private readonly cache = new Map<string, LoadedPartnership>();
  /** Bounded (`COMMAND_STATE_CACHE`) so a registry of any size keeps a steady memory footprint. */
  private readonly cacheLimit: number;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.cacheLimit = config.commandStateCache;
  }

  /**
   * `fresh: false` answers from the cache when it can, without asking the store: fine for a
   * decision, because the append's expected version catches a stale state and the command is
   * decided again with `fresh: true`.
   */
  async load(partnershipId: string, { fresh }: { fresh: boolean }): Promise<LoadedPartnership> {
    const cached = this.cache.get(partnershipId);
    if (cached && !fresh) return cached;
    if (cached) return this.fold(partnershipId, cached, await this.store.readStream(partnershipId, cached.version + 1));
    const { snapshot, events } = await this.store.readStreamFromSnapshot(partnershipId, STATE_SNAPSHOT_SCHEMA_VERSION);
    const from = snapshot
      ? { state: snapshot.state as PartnershipState, version: snapshot.version, snapshotVersion: snapshot.version }
      : { state: initialState, version: 0, snapshotVersion: 0 };
    return this.fold(partnershipId, from, events);
  }

  /**
   * The partnership after `events`, decided on `loaded`, are appended, and the request's snapshot
   * of it when one is due; `appended` takes it once the append succeeded.
   */
  next(loaded: LoadedPartnership, events: PartnershipEvent[]): { next: LoadedPartnership; snapshot?: AppendRequest['snapshot'] } {
    const state = events.reduce(evolve, loaded.state);
    const version = loaded.version + events.length;
    if (!snapshotDue(loaded.snapshotVersion, version)) return { next: { state, version, snapshotVersion: loaded.snapshotVersion } };
    return { next: { state, version, snapshotVersion: version }, snapshot: { schemaVersion: STATE_SNAPSHOT_SCHEMA_VERSION, state } };
  }

  /**
   * Brings the cache forward with what this process has just appended (`next`, made from `from`),
   * so the next command on the stream does not read and parse the events back.
   */
  appended(partnershipId: string, from: LoadedPartnership, next: LoadedPartnership, version: number): void {
    const cachedVersion = this.cache.get(partnershipId)?.version ?? 0;
    if (cachedVersion !== from.version || version !== next.version) return;
    this.remember(partnershipId, next);
  }

  private fold(partnershipId: string, from: LoadedPartnership, events: RecordedEvent[]): LoadedPartnership {
    if (events.length === 0) return from.version === 0 ? from : this.remember(partnershipId, from);
    return this.remember(partnershipId, {
      state: events.reduce((state, event) => evolve(state, asPartnershipEvent(event)!), from.state),
      version: events[events.length - 1].streamVersion,
      snapshotVersion: from.snapshotVersion,
    });
  }

  private remember(partnershipId: string, loaded: LoadedPartnership): LoadedPartnership {
    this.cache.delete(partnershipId);
    this.cache.set(partnershipId, loaded);
    if (this.cache.size > this.cacheLimit) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }
}
