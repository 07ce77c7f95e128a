import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@registry/config';
import { asPartnershipEvent, evolve, initialState, type PartnershipState, STATE_SNAPSHOT_SCHEMA_VERSION } from '@registry/domain';
import { type RecordedEvent, SqliteEventStore } from '@registry/event-store';
import { randomHistory } from '../../time-travel/src/testing/random-history';
import type { CommandContext } from './command-context';
import { PartnershipCommandExecutor } from './partnership-command-executor';
import { PartnershipRepository } from './partnership-repository';

const fold = (events: RecordedEvent[], from: PartnershipState = initialState) => events.reduce((state, event) => evolve(state, asPartnershipEvent(event)!), from);
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('partnership state snapshots', () => {
  it('given random histories, when a stream state kept as JSON after any of its events has the rest folded into it, then it equals the state folded without the round trip', () => {
    for (let seed = 1; seed <= 40; seed++) {
      // given
      const { events, ids } = randomHistory(seed, 80);
      for (const id of ids) {
        const stream = events.filter((event) => event.streamId === id);
        const whole = fold(stream);
        for (let kept = 1; kept < stream.length; kept++) {
          // when
          const resumed = fold(stream.slice(kept), throughJson(fold(stream.slice(0, kept))));

          // then
          expect(resumed).toEqual(whole);
        }
      }
    }
  });
});

describe('PartnershipRepository', () => {
  let directory: string;
  let store: SqliteEventStore;
  const config = () => loadConfig({ DATA_DIR: directory });
  const context: CommandContext = { principal: { id: 'secretariat-user', role: 'secretariat', partnerships: [] }, correlationId: 'c-1' };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'registry-repository-'));
    store = SqliteEventStore.open(join(directory, 'events.sqlite'));
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Registers p-1 (a registration and a founding partner: version 2), then files `reports` reports. */
  async function partnershipWithReports(reports: number): Promise<void> {
    const executor = new PartnershipCommandExecutor(store, config(), new PartnershipRepository(store, config()));
    await executor.execute(
      {
        type: 'RegisterPartnership',
        data: {
          partnershipId: 'p-1',
          name: 'Global Mercury Partnership: artisanal gold mining',
          description: 'Reducing mercury use in artisanal and small-scale gold mining',
          themes: { primary: ['chemicals'], secondary: ['mining'] },
          scope: 'global',
          regions: ['africa', 'latin-america-caribbean'],
          countries: [],
          startDate: '2005-02-01',
          endDate: null,
          resources: null,
          mechanisms: ['training'],
          partners: [{ orgId: 'unep', name: 'UNEP', type: 'un-system', lead: true }],
        },
      },
      { effectiveDate: '2005-02-01' },
      context,
    );
    for (let i = 1; i <= reports; i++) {
      await executor.execute(
        { type: 'FileReport', data: { partnershipId: 'p-1', reportId: `r-${i}`, period: { from: '2005-01-01', to: '2006-01-01' }, summary: `report ${i}`, activities: [] } },
        { effectiveDate: '2006-02-01' },
        context,
      );
    }
  }

  it('given commands appended through it, when the stream is read from its snapshot, then one was kept at version 10 and again at 20', async () => {
    // given
    await partnershipWithReports(24); // version 26

    // when
    const { snapshot, events } = await store.readStreamFromSnapshot('p-1', STATE_SNAPSHOT_SCHEMA_VERSION);

    // then
    expect(snapshot?.version).toBe(20);
    expect(snapshot?.state).toEqual(throughJson(fold((await store.readStream('p-1')).slice(0, 20))));
    expect(events.map((event) => event.streamVersion)).toEqual([21, 22, 23, 24, 25, 26]);
  });

  it('given a stream with a snapshot, when a repository with nothing cached loads it, then the state is the fold of every event', async () => {
    // given
    await partnershipWithReports(24);

    // when
    const loaded = await new PartnershipRepository(store, config()).load('p-1', { fresh: false });

    // then
    expect(loaded.version).toBe(26);
    expect(loaded.snapshotVersion).toBe(20);
    expect(loaded.state).toEqual(fold(await store.readStream('p-1')));
  });

  it('given a loaded stream, when events are decided on it, then a snapshot is due 10 events after the last one, or a tenth of the stream later for a long stream', () => {
    // given
    const repository = new PartnershipRepository(store, config());
    const report = (n: number) => Array.from({ length: n }, () => ({ type: 'ReportFiled', data: { partnershipId: 'p-1' }, metadata: { effectiveAt: '2006-02-01T00:00:00.000Z' } }) as never);
    const at = (version: number, snapshotVersion: number) => ({ state: initialState, version, snapshotVersion });

    // when / then
    expect(repository.next(at(8, 0), report(1)).snapshot).toBeUndefined();
    expect(repository.next(at(9, 0), report(1))).toMatchObject({ next: { version: 10, snapshotVersion: 10 }, snapshot: { schemaVersion: STATE_SNAPSHOT_SCHEMA_VERSION } });
    expect(repository.next(at(23, 15), report(1)).next.snapshotVersion).toBe(15);
    expect(repository.next(at(1098, 1000), report(1)).snapshot).toBeUndefined();
    expect(repository.next(at(1099, 1000), report(1)).next.snapshotVersion).toBe(1100);
  });
});
