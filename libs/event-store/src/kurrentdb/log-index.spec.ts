import { type PendingAppend, planAppendBatch } from '../append-batch';
import { rowToEvent } from '../event-row';
import type { NewEvent } from '../event-store.port';
import { findChainBreak } from '../hash-chain';
import { LogIndex, recordsByLastPosition } from './log-index';

const NOW = '2026-12-01T10:00:00.000Z';

function event(i: number): NewEvent {
  return {
    type: 'Tested',
    schemaVersion: 1,
    data: { i },
    metadata: { actor: { id: 'user-1', role: 'secretariat' }, effectiveAt: NOW, correlationId: 'c', causationId: 'c' },
  };
}

/** Plans `batch` on the index as the adapter does and folds what it would write; returns the plan. */
function commit(index: LogIndex, batch: PendingAppend[]) {
  const plan = planAppendBatch(batch, index.batchState(batch), NOW);
  const carried = recordsByLastPosition(plan.idempotencyRecords);
  const events = plan.events.map(rowToEvent);
  for (const recorded of events) index.fold(recorded, carried.get(recorded.globalPosition));
  return { plan, events };
}

describe('LogIndex', () => {
  it('given events of two streams folded, when a batch is planned on it, then versions and positions continue and the chain holds', () => {
    // given
    const index = new LogIndex();
    const first = commit(index, [
      { requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1), event(2)] }] },
      { requests: [{ streamId: 'b', expectedVersion: 0, events: [event(3)] }] },
    ]);

    // when
    const second = commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 2, events: [event(4)] }] }]);

    // then
    expect(second.events.map((e) => [e.streamId, e.streamVersion, e.globalPosition])).toEqual([['a', 3, 4]]);
    expect(findChainBreak([...first.events, ...second.events])).toBeNull();
    expect(index.headPosition).toBe(4);
    expect(index.streamVersion('a')).toBe(3);
    expect(index.streamPositions('a', 2)).toEqual([2, 4]);
    expect(index.streamVersion('unknown')).toBe(0);
  });

  it('given a stream at version 1, when a batch expects version 0, then that append is refused and the index is unchanged', () => {
    // given
    const index = new LogIndex();
    commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1)] }] }]);

    // when
    const { plan } = commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(2)] }] }]);

    // then
    expect(plan.outcomes[0]).toMatchObject({ status: 'rejected', reason: { name: 'ConcurrencyConflict' } });
    expect(index.headPosition).toBe(1);
  });

  it('given a planned batch, when it is not folded (the append lost the race), then the index is as before', () => {
    // given
    const index = new LogIndex();
    commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1)] }] }]);
    const batch: PendingAppend[] = [{ requests: [{ streamId: 'a', expectedVersion: 1, events: [event(2)] }], options: { idempotency: { key: 'k', requestHash: 'h' } } }];

    // when
    planAppendBatch(batch, index.batchState(batch), NOW);

    // then
    expect(index.headPosition).toBe(1);
    expect(index.streamVersion('a')).toBe(1);
    expect(index.idempotencyRecord('k')).toBeNull();
  });

  it('given an idempotent append folded with its record, when the key is repeated, then the recorded result is replayed', () => {
    // given
    const index = new LogIndex();
    const options = { idempotency: { key: 'k', requestHash: 'h' } };
    const first = commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1), event(2)] }], options }]);

    // when
    const repeat = commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1), event(2)] }], options }]);

    // then
    expect(index.idempotencyRecord('k')).toMatchObject({ key: 'k', requestHash: 'h', result: { lastPosition: 2 } });
    expect(repeat.plan.outcomes[0]).toEqual({ status: 'fulfilled', value: { ...(first.plan.outcomes[0] as PromiseFulfilledResult<unknown>).value as object, replayed: true } });
    expect(repeat.events).toHaveLength(0);
  });

  it('given records of a batch, when they are assigned to events, then each goes with the last event of its append and an empty append has none', () => {
    // given
    const index = new LogIndex();
    index.fold(rowToEvent(planAppendBatch([{ requests: [{ streamId: 'z', expectedVersion: 0, events: [event(0)] }] }], index.batchState([]), NOW).events[0]));
    const batch: PendingAppend[] = [
      { requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1), event(2)] }], options: { idempotency: { key: 'k1', requestHash: 'h' } } },
      { requests: [{ streamId: 'b', expectedVersion: 0, events: [] }], options: { idempotency: { key: 'k2', requestHash: 'h' } } },
      { requests: [{ streamId: 'c', expectedVersion: 0, events: [event(3)] }], options: { idempotency: { key: 'k3', requestHash: 'h' } } },
    ];

    // when
    const carried = recordsByLastPosition(planAppendBatch(batch, index.batchState(batch), NOW).idempotencyRecords);

    // then
    expect([...carried].map(([position, record]) => [position, record.key])).toEqual([[3, 'k1'], [4, 'k3']]);
  });

  it('given a folded event, when it is folded again, then it is ignored; when a position is skipped, then folding fails', () => {
    // given
    const index = new LogIndex();
    const { events } = commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [event(1), event(2), event(3)] }] }]);
    const replica = new LogIndex();
    replica.fold(events[0]);

    // when / then
    replica.fold(events[0]);
    expect(replica.headPosition).toBe(1);
    expect(() => replica.fold(events[2])).toThrow('expected position 2, got 3');
  });

  it('given an event id folded, when a batch reuses it, then the append is refused', () => {
    // given
    const index = new LogIndex();
    commit(index, [{ requests: [{ streamId: 'a', expectedVersion: 0, events: [{ ...event(1), eventId: 'chosen' }] }] }]);

    // when
    const { plan } = commit(index, [{ requests: [{ streamId: 'b', expectedVersion: 0, events: [{ ...event(2), eventId: 'chosen' }] }] }]);

    // then
    expect(plan.outcomes[0]).toMatchObject({ status: 'rejected', reason: { details: [{ field: 'eventId', rule: 'unique' }] } });
  });
});
