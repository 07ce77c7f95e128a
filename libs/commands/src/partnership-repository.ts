import { Inject, Injectable } from '@nestjs/common';
import { asPartnershipEvent, evolve, initialState, type PartnershipEvent, type PartnershipState } from '@registry/domain';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';

export interface LoadedPartnership {
  state: PartnershipState;
  /** Stream version the state reflects (0: no such partnership). */
  version: number;
}

/**
 * Loads the current state of a partnership stream. `evolve` gives the same state whether a
 * stream is folded in recording or in effective order, so states are cached and brought up to
 * date by folding only the events after the cached version; the cache is an optimisation, the
 * store stays the truth (another process may have appended).
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
    return this.catchUp(partnershipId, cached ?? { state: initialState, version: 0 });
  }

  private async catchUp(partnershipId: string, cached: LoadedPartnership): Promise<LoadedPartnership> {
    const newer = await this.store.readStream(partnershipId, cached.version + 1);
    if (newer.length === 0) return cached;
    return this.remember(partnershipId, {
      state: newer.reduce((state, event) => evolve(state, asPartnershipEvent(event)!), cached.state),
      version: newer[newer.length - 1].streamVersion,
    });
  }

  /**
   * Brings the cache forward with events this process has just appended after `from`, so the
   * next command on the stream does not read and parse them back.
   */
  appended(partnershipId: string, from: LoadedPartnership, events: PartnershipEvent[], version: number): void {
    const cachedVersion = this.cache.get(partnershipId)?.version ?? 0;
    if (cachedVersion !== from.version || version !== from.version + events.length) return;
    this.remember(partnershipId, { state: events.reduce(evolve, from.state), version });
  }

  private remember(partnershipId: string, loaded: LoadedPartnership): LoadedPartnership {
    this.cache.delete(partnershipId);
    this.cache.set(partnershipId, loaded);
    if (this.cache.size > this.cacheLimit) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }
}
