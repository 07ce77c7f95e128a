import type { EventStore, NewEvent, RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument } from '@registry/projector';

/**
 * Small projections for the runtime's tests, and the from-scratch figures they must agree with.
 * Event types: `Counted` (counted), `Noise` (ignored by the stream counter), `Reset` (deletes the
 * stream's counter), `Poison` (makes the failing projection throw).
 */

interface Counter extends ProjectionDocument {
  count: number;
}

/** Events per stream since the stream's last `Reset`; `Noise` is not counted. */
export function streamCounter(version = 1, options: { beforeApply?: (event: RecordedEvent) => Promise<void> | void } = {}): Projection {
  return {
    name: 'stream-counter',
    version,
    collections: [{ name: 'stream_counts', indexes: [{ keys: { count: -1 }, name: 'by_count' }] }],
    async apply(event, documents) {
      await options.beforeApply?.(event);
      if (event.type === 'Noise') return;
      if (event.type === 'Reset') return documents.delete('stream_counts', event.streamId);
      const counter = (await documents.get<Counter>('stream_counts', event.streamId)) ?? { _id: event.streamId, count: 0 };
      counter.count += 1;
      // A change of meaning between versions, so a test can tell which version built a document.
      if (version > 1) counter.version = version;
      documents.put('stream_counts', counter);
    },
  };
}

/** Events per type, every type. */
export const typeCounter: Projection = {
  name: 'type-counter',
  version: 1,
  collections: [{ name: 'type_counts', indexes: [] }],
  async apply(event, documents) {
    const counter = (await documents.get<Counter>('type_counts', event.type)) ?? { _id: event.type, count: 0 };
    counter.count += 1;
    documents.put('type_counts', counter);
  },
};

/** Counts like `typeCounter` but throws on a `Poison` event. */
export const failingProjection: Projection = {
  name: 'failing',
  version: 1,
  collections: [{ name: 'failing_counts', indexes: [] }],
  async apply(event, documents) {
    const counter = (await documents.get<Counter>('failing_counts', 'all')) ?? { _id: 'all', count: 0 };
    counter.count += 1;
    documents.put('failing_counts', counter);
    if (event.type === 'Poison') throw new Error(`poisoned at ${event.globalPosition}`);
  },
};

export function newEvent(type: string, data: unknown = {}): NewEvent {
  const now = new Date().toISOString();
  return { type, schemaVersion: 1, data, metadata: { actor: { id: 'projector-test', role: 'system' }, effectiveAt: now, correlationId: 'c', causationId: 'c' } };
}

/**
 * Appends `count` events over `streams` streams in appends of up to 100 events: mostly `Counted`,
 * every 7th a `Noise`, every 97th a `Reset`.
 */
export async function appendMixedEvents(store: EventStore, count: number, streams = 50, offset = 0): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const size = Math.min(100, count - start);
    const streamId = `stream-${(offset + start / 100) % streams}`;
    const events = Array.from({ length: size }, (_, index) => {
      const n = offset + start + index + 1;
      return newEvent(n % 97 === 0 ? 'Reset' : n % 7 === 0 ? 'Noise' : 'Counted', { n });
    });
    await store.append(streamId, events, 'any');
  }
}

/** What the stream and type counters hold after the given events, computed without the runtime. */
export function expectedCounts(events: readonly RecordedEvent[]): { streams: Record<string, number>; types: Record<string, number> } {
  const streams: Record<string, number> = {};
  const types: Record<string, number> = {};
  for (const event of events) {
    types[event.type] = (types[event.type] ?? 0) + 1;
    if (event.type === 'Reset') delete streams[event.streamId];
    else if (event.type === 'Counted') streams[event.streamId] = (streams[event.streamId] ?? 0) + 1;
  }
  return { streams, types };
}

/** `{_id: count}` of a counters collection. */
export function countsOf(documents: readonly { _id: unknown; count?: unknown }[]): Record<string, number> {
  return Object.fromEntries(documents.map(({ _id, count }) => [String(_id), Number(count)]));
}
