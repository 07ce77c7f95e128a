import { InvalidInput } from '@registry/shared-kernel';
import { type BatchState, planAppendBatch, type PendingAppend } from './append-batch';
import { rowToEvent } from './event-row';
import type { NewEvent } from './event-store.port';
import { findChainBreak, GENESIS_HASH } from './hash-chain';

const emptyState = (): BatchState => ({
  headPosition: 0,
  headHash: GENESIS_HASH,
  headRecordedAt: null,
  streamVersions: new Map(),
  idempotency: new Map(),
  takenEventIds: new Set(),
});

const newEvent = (data: unknown): NewEvent => ({
  type: 'Tested',
  schemaVersion: 1,
  data,
  metadata: { actor: { id: 'user-1', role: 'editor' }, effectiveAt: '2024-01-01T00:00:00.000Z', correlationId: 'c', causationId: 'c' },
});

const appendTo = (streamId: string, ...data: unknown[]): PendingAppend => ({
  requests: [{ streamId, expectedVersion: 'any', events: data.map(newEvent) }],
});

describe('planAppendBatch', () => {
  it('given data that JSON changes (a Date), when planned, then the hash covers the stored form and verifies once read back', () => {
    // when
    const plan = planAppendBatch([appendTo('partnership-a', { at: new Date('2024-05-01T00:00:00Z') })], emptyState(), '2024-06-01T00:00:00.000Z');

    // then
    const events = plan.events.map(rowToEvent);
    expect(events[0].data).toEqual({ at: '2024-05-01T00:00:00.000Z' });
    expect(findChainBreak(events)).toBeNull();
  });

  it('given one request whose data is not JSON, when planned with others, then only it is refused and the others follow without a gap', () => {
    // when
    const plan = planAppendBatch(
      [appendTo('partnership-a', { n: 1 }), appendTo('partnership-b', { n: 2n }), appendTo('partnership-c', { n: 3 })],
      emptyState(),
      '2024-06-01T00:00:00.000Z',
    );

    // then
    expect(plan.outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(plan.events.map((row) => [row.streamId, row.globalPosition])).toEqual([['partnership-a', 1], ['partnership-c', 2]]);
  });

  it('given data that is undefined, when planned, then the request is refused as invalid input', () => {
    // when
    const [outcome] = planAppendBatch([appendTo('partnership-a', undefined)], emptyState(), '2024-06-01T00:00:00.000Z').outcomes;

    // then
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(InvalidInput) });
  });

  it('given events without ids appended over time, when planned, then they get time-ordered version 7 UUIDs', async () => {
    // given
    const state = emptyState();
    const first = planAppendBatch([appendTo('partnership-a', 1, 2)], state, '2024-06-01T00:00:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 2));

    // when
    const second = planAppendBatch([appendTo('partnership-a', 3)], state, '2024-06-01T00:00:00.002Z');

    // then
    const ids = [...first.events, ...second.events].map((row) => row.eventId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[2] > ids[0] && ids[2] > ids[1]).toBe(true);
    expect(Number.parseInt(ids[0].replace('-', '').slice(0, 12), 16)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('given a head recorded later than the clock reads (the clock stepped back), when planned, then recordedAt is the head\'s, not earlier', () => {
    // given
    const state = { ...emptyState(), headRecordedAt: '2030-01-01T00:00:00.000Z' };

    // when
    const plan = planAppendBatch([appendTo('partnership-a', { n: 1 })], state, '2024-06-01T00:00:00.000Z');

    // then
    expect(rowToEvent(plan.events[0]).metadata.recordedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('given a head recorded earlier than the clock, when planned, then recordedAt is the clock', () => {
    const state = { ...emptyState(), headRecordedAt: '2020-01-01T00:00:00.000Z' };
    const plan = planAppendBatch([appendTo('partnership-a', { n: 1 })], state, '2024-06-01T00:00:00.000Z');
    expect(rowToEvent(plan.events[0]).metadata.recordedAt).toBe('2024-06-01T00:00:00.000Z');
  });
});
