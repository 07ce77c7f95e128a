import { evolve, initialState, type PartnershipEvent, type PartnershipState } from '@registry/domain';
import type { EventStore, RecordedEvent } from '@registry/event-store';
import { allProjections, PARTNERSHIPS, stateOfDocument, TRENDS, trendTables, type PartnershipDocument } from '@registry/projections';
import { amended, ended, registered } from '../../../projections/shared/testing/events';
import { RecordedLog } from '../../../projections/shared/testing/recorded-history';
import { AsOfEventLog, readLog, replayAsOf } from './replay';
import { qualifies } from './semantics';

/**
 * A history entered late and corrected: everything was recorded from 2024 on, and a correction
 * of p1's scope effective in 2005 was recorded after an amendment effective in 2008.
 */
function history(): RecordedEvent[] {
  const log = new RecordedLog();
  log.record([registered('p1', '2002-09-01', { scope: 'global' }), registered('p2', '2009-03-01', { scope: 'local' }), registered('p3', '2011-05-01')], '2024-01-01T00:00:00.000Z');
  log.record([amended('p1', { scope: 'subregional' }, '2008-01-01')], '2024-06-01T00:00:00.000Z');
  log.record([amended('p1', { scope: 'regional' }, '2005-01-01')], '2025-01-01T00:00:00.000Z');
  log.record([ended('p2', 'completed', '2009-12-01')], '2025-02-01T00:00:00.000Z');
  return log.events;
}

/** The definition: per stream, the fold of the qualifying events in (effectiveAt, position) order. */
function bruteForce(events: RecordedEvent[], point: { asOf: string; knownAt: string | null }): Map<string, PartnershipState> {
  const states = new Map<string, PartnershipState>();
  const qualifying = events
    .filter((event) => qualifies(event, point))
    .sort((a, b) => Date.parse(a.metadata.effectiveAt) - Date.parse(b.metadata.effectiveAt) || a.globalPosition - b.globalPosition);
  for (const event of qualifying) {
    states.set(event.streamId, evolve(states.get(event.streamId) ?? initialState, { type: event.type, data: event.data, metadata: { effectiveAt: event.metadata.effectiveAt } } as PartnershipEvent));
  }
  return states;
}

async function* asyncOf<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe('replayAsOf', () => {
  const events = history();
  const projections = allProjections();

  it.each([
    ['2010-02-01T00:00:00.000Z', null, { p1: 'subregional/active', p2: 'local/ended' }],
    ['2010-02-01T00:00:00.000Z', '2024-12-31T00:00:00.000Z', { p1: 'subregional/active', p2: 'local/active' }],
    ['2006-01-01T00:00:00.000Z', null, { p1: 'regional/active' }],
    ['2006-01-01T00:00:00.000Z', '2024-12-31T00:00:00.000Z', { p1: 'global/active' }],
    ['2030-01-01T00:00:00.000Z', '2023-01-01T00:00:00.000Z', {}],
    ['2030-01-01T00:00:00.000Z', null, { p1: 'subregional/active', p2: 'local/ended', p3: 'global/active' }],
  ])('asOf %s knownAt %s: partnerships as the brute-force fold says', async (asOf, knownAt, expected) => {
    const point = { asOf, knownAt };
    const { documents } = await replayAsOf(asyncOf(events), projections, point);
    const partnerships = documents.all<PartnershipDocument>(PARTNERSHIPS);
    expect(Object.fromEntries(partnerships.map((p) => [p._id, `${p.scope}/${p.status}`]))).toEqual(expected);
    const truth = bruteForce(events, point);
    expect(partnerships.map((p) => stateOfDocument(p))).toEqual([...truth.values()].sort((a, b) => ((a as { partnershipId: string }).partnershipId < (b as { partnershipId: string }).partnershipId ? -1 : 1)));
  });

  it('builds the trend counters of the point', async () => {
    const { documents, applied, read, lastPosition } = await replayAsOf(events, projections, { asOf: '2010-02-01T00:00:00.000Z', knownAt: '2024-12-31T00:00:00.000Z' });
    const tables = trendTables(documents.all(TRENDS)[0]);
    expect(tables).toMatchObject({ registered: 2, active: 2, byScope: { subregional: 1, local: 1, global: 0 } });
    expect({ applied, read, lastPosition }).toEqual({ applied: 3, read: 6, lastPosition: 4 });
  });

  it('reports progress and refuses events out of position order', async () => {
    const progress: number[] = [];
    await replayAsOf(events, projections, { asOf: '2030-01-01T00:00:00.000Z', knownAt: null }, { onProgress: ({ read }) => progress.push(read), progressEvery: 2 });
    expect(progress).toEqual([2, 4, 6, 6]);
    await expect(replayAsOf([events[1], events[0]], projections, { asOf: '2030-01-01T00:00:00.000Z', knownAt: null })).rejects.toThrow(/global position order/);
  });
});

describe('AsOfEventLog', () => {
  const events = history();
  const store = {
    readAll: async (from: number, limit: number) => events.filter((event) => event.globalPosition >= from).slice(0, limit),
    headPosition: async () => events.length,
  } as unknown as EventStore;

  it('reads only qualifying events, filling each read up to its limit across scan batches', async () => {
    const log = new AsOfEventLog(store, { asOf: '2010-02-01T00:00:00.000Z', knownAt: null }, 2);
    expect((await log.readAll(1, 10)).map((event) => event.globalPosition)).toEqual([1, 2, 4, 5, 6]);
    expect((await log.readAll(1, 3)).map((event) => event.globalPosition)).toEqual([1, 2, 4]);
    expect((await log.readAll(5, 3)).map((event) => event.globalPosition)).toEqual([5, 6]);
    expect(await log.headPosition()).toBe(6);
    await expect(log.append('p1', [], 'any')).rejects.toThrow(/read-only/);
  });

  it('readLog reads the whole log in batches', async () => {
    const read: number[] = [];
    for await (const event of readLog(store, 4)) read.push(event.globalPosition);
    expect(read).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
