import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { EventStore, RecordedEvent } from '@registry/event-store';
import { partnershipsProjection } from '@registry/projections';
import {
  replayComplianceCountsAsOf,
  replayPartnershipAsOf,
  replayPartnershipDocumentsAsOf,
  replayTrendsAsOf,
  TimeTravel,
  type AsOf,
  type PartnershipAsOfView,
} from '@registry/time-travel';
import { randomHistory } from '../../libs/time-travel/src/testing/random-history';
import { TestStores } from '../projector/support/stores';

/** The TimeTravel facade over a real SQLite log and embedded read store: catch-up, live, restart from its file. */

const newEvent = (event: RecordedEvent) => ({
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { actor: event.metadata.actor, effectiveAt: event.metadata.effectiveAt, correlationId: 'c', causationId: 'c' },
});

async function appendAll(store: EventStore, events: RecordedEvent[]): Promise<void> {
  for (const event of events) await store.append(event.streamId, [newEvent(event)], 'any');
}

/** The same, a stream's consecutive events in one append (quicker for a long log). */
async function appendInRuns(store: EventStore, events: RecordedEvent[]): Promise<void> {
  for (let start = 0; start < events.length; ) {
    let end = start + 1;
    while (end < events.length && events[end].streamId === events[start].streamId) end++;
    await store.append(events[start].streamId, events.slice(start, end).map(newEvent), 'any');
    start = end;
  }
}

async function log(store: EventStore): Promise<RecordedEvent[]> {
  return store.readAll(1, 1_000_000);
}

const POLICY = { intervalMonths: 12, inactiveAfterMonths: 24 };

async function expectSameAnswers(timeTravel: TimeTravel, events: RecordedEvent[], ids: string[]): Promise<void> {
  const recordedAts = events.map((event) => event.metadata.recordedAt);
  const points: AsOf[] = [
    { asOf: '2030-01-01T00:00:00.000Z', knownAt: null },
    { asOf: '2005-06-01T00:00:00.000Z', knownAt: null },
    { asOf: '2008-02-01T12:00:00.000Z', knownAt: recordedAts[Math.floor(recordedAts.length / 2)] },
    { asOf: '2012-01-01T00:00:00.000Z', knownAt: recordedAts[Math.floor(recordedAts.length / 3)] },
    { asOf: '2012-01-01T00:00:00.000Z', knownAt: '2000-01-01T00:00:00.000Z' },
  ];
  for (const point of points) {
    expect(await timeTravel.trends(point)).toEqual(replayTrendsAsOf(events, point));
    expect(await timeTravel.trends(point, ['transport', 'water'])).toEqual(replayTrendsAsOf(events, point, ['transport', 'water']));
    expect(await timeTravel.complianceCounts(point)).toEqual(await replayComplianceCountsAsOf(events, point, POLICY));
    for (const id of ids.slice(0, 5)) expect(await timeTravel.partnership(id, point)).toEqual(replayPartnershipAsOf(events, id, point));

    const paged: PartnershipAsOfView[] = [];
    let cursor: string | undefined;
    let total: number | null = null;
    do {
      const page = await timeTravel.partnerships(point, { status: 'active' }, { limit: 2, cursor });
      paged.push(...page.items);
      if (cursor === undefined) total = page.total;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = replayPartnershipDocumentsAsOf(events, point)
      .filter((document) => document.status === 'active')
      .map(({ _fold, searchText, lastPosition, ...view }) => view);
    expect(paged).toEqual(expected);
    if (expected.length <= 2) expect(total).toBe(expected.length);
  }
}

describe('TimeTravel', () => {
  let stores: TestStores;

  beforeEach(() => {
    stores = new TestStores();
  });

  afterEach(async () => {
    await stores.dispose();
  });

  it('given a log, when started, then it answers as the brute force does; it follows appends live and resumes from its file after a restart', async () => {
    const history = randomHistory(20260101, 120);
    const thirds = [history.events.slice(0, 60), history.events.slice(60, 100), history.events.slice(100)];
    const snapshotFile = join(stores.directory, 'as-of-index.bin');

    // given a log, a partnerships read model and a started TimeTravel
    await appendAll(stores.eventStore, thirds[0]);
    let runtime = stores.runtime([partnershipsProjection]);
    await runtime.start();
    let timeTravel = new TimeTravel(stores.eventStore, runtime, { policy: POLICY, snapshotFile, snapshotEveryDeltas: 50 });
    await timeTravel.start();
    let events = await log(stores.eventStore);
    await runtime.waitForPosition(events.length, 5000);
    expect(timeTravel.appliedPosition).toBe(events.length);
    await expectSameAnswers(timeTravel, events, history.ids);

    // when more is appended live
    await appendAll(stores.eventStore, thirds[1]);
    events = await log(stores.eventStore);
    expect(await timeTravel.waitForPosition(events.length, 5000)).toBe(true);
    await runtime.waitForPosition(events.length, 5000);
    await expectSameAnswers(timeTravel, events, history.ids);
    expect(await timeTravel.positionAt(events[9].metadata.recordedAt)).toBe(events.filter((event) => event.metadata.recordedAt <= events[9].metadata.recordedAt).length);

    // when stopped (saved), more appended, and started again from the file
    await timeTravel.stop();
    expect(existsSync(snapshotFile)).toBe(true);
    await appendAll(stores.eventStore, thirds[2]);
    await stores.restart();
    runtime = stores.runtime([partnershipsProjection]);
    await runtime.start();
    timeTravel = new TimeTravel(stores.eventStore, runtime, { policy: POLICY, snapshotFile, snapshotEveryDeltas: 50 });
    await timeTravel.start();
    expect(timeTravel.loadedPosition).toBe(thirds[0].length + thirds[1].length);
    events = await log(stores.eventStore);
    await runtime.waitForPosition(events.length, 5000);
    expect(timeTravel.appliedPosition).toBe(events.length);
    await expectSameAnswers(timeTravel, events, history.ids);
    await timeTravel.stop();
  });

  it('given a long log, while it builds at start-up, then the event loop keeps turning, and stop() interrupts the build; a new start resumes from the file', async () => {
    // given a log long enough to take several slices to build
    await appendInRuns(stores.eventStore, randomHistory(20260102, 6000).events);
    const events = await log(stores.eventStore);
    const snapshotFile = join(stores.directory, 'as-of-index.bin');
    const runtime = stores.runtime([partnershipsProjection]);
    const timeTravel = new TimeTravel(stores.eventStore, runtime, { policy: POLICY, snapshotFile });

    // when started, then a timer set meanwhile fires during the build
    const started = timeTravel.start();
    const appliedWhenTimerFired = await new Promise<number>((resolve) => setTimeout(() => resolve(timeTravel.appliedPosition), 0));
    expect(appliedWhenTimerFired).toBeGreaterThan(0);
    expect(appliedWhenTimerFired).toBeLessThan(events.length);

    // when stopped meanwhile, then it stops there, saved, and does not follow the log
    await timeTravel.stop();
    const stoppedAt = timeTravel.appliedPosition;
    expect(stoppedAt).toBeLessThan(events.length);
    await started;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timeTravel.appliedPosition).toBe(stoppedAt);

    // when started again, then it resumes from the file and answers as the brute force does
    const again = new TimeTravel(stores.eventStore, runtime, { policy: POLICY, snapshotFile });
    await again.start();
    expect(again.loadedPosition).toBe(stoppedAt);
    expect(again.appliedPosition).toBe(events.length);
    const point: AsOf = { asOf: '2008-02-01T00:00:00.000Z', knownAt: null };
    expect(await again.trends(point)).toEqual(replayTrendsAsOf(events, point));
    expect(await again.complianceCounts(point)).toEqual(await replayComplianceCountsAsOf(events, point, POLICY));
    await again.stop();
  });
});
