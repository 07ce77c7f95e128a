import * as path from 'node:path';
import { createEventStore, type EventStore } from '@registry/event-store';
import { generateHistory, expectedFigures } from '@registry/generator';
import { ProjectorRuntime } from '@registry/projector';
import { allProjections, trendTables, TRENDS, COUNTERS_ID } from '@registry/projections';
import { createReadStore, type ReadStore } from '@registry/read-store';
import { cliSandbox, type CliSandbox } from '../cli/support/cli';

const UNTIL = '2025-12-31';
const SEEDS = [11, 12, 13];

/** Every document of every collection the projections declare, by collection, sorted by id. */
async function snapshot(runtime: ProjectorRuntime): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const projection of allProjections()) {
    for (const { name } of projection.collections) {
      result[name] = await runtime.collection(name).find({}, { sort: { _id: 1 } }).toArray();
    }
  }
  return result;
}

/**
 * Acceptance (issue 3, determinism): for generated histories, the read models built live, while
 * another process appends the commands, equal the read models rebuilt from scratch afterwards,
 * document for document (positions included).
 */
describe.each(SEEDS)('read models of generated history %i', (seed) => {
  let sandbox: CliSandbox;
  let events: EventStore;
  const readStores: ReadStore[] = [];
  const runtimes: ProjectorRuntime[] = [];

  beforeAll(() => {
    sandbox = cliSandbox();
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.stop()));
    await Promise.all(readStores.map((store) => store.close()));
    await events?.close();
    sandbox.cleanup();
  });

  it('built live while commands arrive equal a rebuild from scratch, and trends match the oracle', async () => {
    // given: projections running live on an empty log
    events = await createEventStore(sandbox.config.eventStoreUrl);
    const live = await createReadStore(`embedded:${path.join(sandbox.dataDir, 'live')}`);
    readStores.push(live);
    const liveRuntime = new ProjectorRuntime(events, live, allProjections());
    runtimes.push(liveRuntime);
    await liveRuntime.start();

    // when: another connection imports a generated history
    const lines = [...generateHistory({ partnerships: 120, seed, until: UNTIL })];
    const file = sandbox.writeFile('history.jsonl', lines.map((line) => JSON.stringify(line)));
    const imported = await sandbox.run('import', file, '--concurrency', '16');
    expect(imported.exitCode).toBe(0);
    const head = await events.headPosition();
    expect(head).toBe(expectedFigures(lines).events);
    expect(await liveRuntime.waitForPosition(head, 60_000)).toBe(true);

    // and: the same log projected from scratch into another store
    const rebuilt = await createReadStore(`embedded:${path.join(sandbox.dataDir, 'rebuilt')}`);
    readStores.push(rebuilt);
    const rebuiltRuntime = new ProjectorRuntime(events, rebuilt, allProjections());
    runtimes.push(rebuiltRuntime);
    await rebuiltRuntime.rebuild();

    // then
    const liveDocuments = await snapshot(liveRuntime);
    expect(liveDocuments.partnerships).toHaveLength(120);
    expect(liveDocuments).toEqual(await snapshot(rebuiltRuntime));
    const tables = trendTables(await liveRuntime.collection(TRENDS).findOne({ _id: COUNTERS_ID }));
    const oracle = expectedFigures(lines);
    expect(tables.registered).toBe(oracle.registered);
    expect(tables.active).toBe(oracle.active);
    expect(tables.byScope).toEqual(oracle.trends.active.byScope);
    expect(tables.byRegistrationYear).toEqual(oracle.trends.registered.byRegistrationYear);
  });
});
