import { Inject, Injectable } from '@nestjs/common';
import {
  evolve,
  initialState,
  type PartnershipEvent,
  type PartnershipState,
} from '@registry/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@registry/event-store';

export interface LoadedPartnership {
  state: PartnershipState;
  /** Stream version the state reflects (0: no such partnership). */
  version: number;
}

/** Bounded so a registry of any size keeps a steady memory footprint. */
const CACHE_LIMIT = 20_000;

/**
 * Loads the current state of a partnership stream: the fold of its events in
 * (effectiveAt, version) order, so a back-dated amendment is overridden by a later-effective one
 * recorded before it. States are cached and brought up to date by reading only the events after
 * the cached version; the cache is an optimisation, the store stays the truth.
 */
@Injectable()
export class PartnershipRepository {
  private readonly cache = new Map<string, LoadedPartnership>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(partnershipId: string): Promise<LoadedPartnership> {
    const cached = this.cache.get(partnershipId);
    if (!cached) return this.remember(partnershipId, await this.loadWhole(partnershipId));
    const newer = await this.store.readStream(partnershipId, cached.version + 1);
    if (newer.length === 0) return cached;
    const { state } = cached;
    const appliesAtTheEnd = state.status !== 'unknown' && newer.every((e) => e.metadata.effectiveAt >= state.lastEffectiveAt);
    // A back-dated event lands in the middle of the effective order: fold the stream again.
    const loaded = appliesAtTheEnd
      ? { state: newer.reduce<PartnershipState>((s, e) => evolve(s, toDomainEvent(e)), state), version: newer[newer.length - 1].streamVersion }
      : await this.loadWhole(partnershipId);
    return this.remember(partnershipId, loaded);
  }

  /**
   * Brings the cache forward with events this process has just appended after `from`, so the
   * next command on the stream does not read and parse them back.
   */
  appended(partnershipId: string, from: LoadedPartnership, events: PartnershipEvent[], version: number): void {
    const { state } = from;
    if (this.cache.get(partnershipId)?.version !== from.version && from.version !== 0) return;
    const appliesAtTheEnd = state.status === 'unknown' || events.every((e) => e.metadata.effectiveAt >= state.lastEffectiveAt);
    if (!appliesAtTheEnd || version !== from.version + events.length) {
      this.cache.delete(partnershipId);
      return;
    }
    this.remember(partnershipId, { state: events.reduce(evolve, state), version });
  }

  private async loadWhole(partnershipId: string): Promise<LoadedPartnership> {
    const events = await this.store.readStream(partnershipId);
    return { state: foldInEffectiveOrder(events), version: events.length === 0 ? 0 : events[events.length - 1].streamVersion };
  }

  private remember(partnershipId: string, loaded: LoadedPartnership): LoadedPartnership {
    if (loaded.version === 0) return loaded; // unknown ids are not cached: a flood of them must not evict real ones
    this.cache.delete(partnershipId);
    this.cache.set(partnershipId, loaded);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }
}

export function toDomainEvent(event: RecordedEvent): PartnershipEvent {
  return { type: event.type, data: event.data, metadata: { effectiveAt: event.metadata.effectiveAt } } as PartnershipEvent;
}

/** The state of a stream as its events say, applied in (effectiveAt, streamVersion) order. */
export function foldInEffectiveOrder(events: readonly RecordedEvent[]): PartnershipState {
  return [...events]
    .sort((a, b) =>
      a.metadata.effectiveAt < b.metadata.effectiveAt ? -1 : a.metadata.effectiveAt > b.metadata.effectiveAt ? 1 : a.streamVersion - b.streamVersion,
    )
    .reduce((state, event) => evolve(state, toDomainEvent(event)), initialState);
}
