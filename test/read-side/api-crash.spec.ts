import { join } from 'node:path';
import { createEventStore } from '@registry/event-store';
import { expectedFigures, generateHistory, type ExpectedFigures } from '@registry/generator';
import { CHECKPOINTS, ProjectorRuntime, type Checkpoint, type ProjectionStatus } from '@registry/projector';
import { allProjections, COUNTERS_ID, TRENDS, trendTables, type TrendTables } from '@registry/projections';
import { createReadStore, type ReadStore } from '@registry/read-store';
import { cliSandbox, type CliSandbox } from '../cli/support/cli';
import { tablesFromOracle } from '../support/trend-expectations';
import { delay } from '../support/wait';
import { getJson, spawnBuiltApi, stopBuiltApi, type BuiltApi } from './support/built-api';

const PARTNERSHIPS = 400; // about 10,000 events: 5 batches of 2,000 and a last one for each projection
const SEED = 1802;
const UNTIL = '2025-12-31';
const KILLS = 4;
const PROJECTIONS = allProjections().map(({ name }) => name);
/** Prints each batch a projection starts and each checkpoint committed, in the server it is preloaded into (see the file). */
const REPORT_CHECKPOINTS = join(__dirname, 'support/report-checkpoints.js');

type Positions = Record<string, number>;

/** Every document of every collection, by collection, sorted by id; the checkpoints without their clock time. */
async function everyDocument(store: ReadStore): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const name of (await store.listCollections()).sort()) {
    const documents = await store.collection(name).find({}, { sort: { _id: 1 } }).toArray();
    result[name] = name === CHECKPOINTS ? documents.map(({ updatedAt: _clock, ...checkpoint }) => checkpoint) : documents;
  }
  return result;
}

/** Each projection's committed position in the embedded read store (the API must be down: it locks the store). */
async function committedPositions(readModels: string): Promise<Positions> {
  const store = await createReadStore(`embedded:${readModels}`);
  try {
    const positions: Positions = Object.fromEntries(PROJECTIONS.map((name) => [name, 0]));
    for (const { _id, position, building } of await store.collection<Checkpoint>(CHECKPOINTS).find({}).toArray()) positions[_id] = building?.position ?? position;
    return positions;
  } finally {
    await store.close();
  }
}

/** The last position the server reported committing, per projection. */
function reportedPositions(output: string): Positions {
  const positions: Positions = {};
  for (const [, name, position] of output.matchAll(/^checkpoint (\S+) (\d+)$/gm)) positions[name] = Number(position);
  return positions;
}

/**
 * Problems with where a run of the server started applying the log and how it went on: each
 * projection must start one past its committed position, then go on one past its previous batch.
 */
function resumptionProblems(output: string, committedBefore: Positions): string[] {
  const next = { ...committedBefore };
  const problems: string[] = [];
  for (const [, name, first, last, count] of output.matchAll(/^batch (\S+) (\d+) (\d+) (\d+)$/gm)) {
    if (Number(first) !== next[name] + 1) problems.push(`${name} applied ${first}..${last} after ${next[name]}`);
    if (Number(last) - Number(first) + 1 !== Number(count)) problems.push(`${name}: ${count} events in ${first}..${last}`);
    next[name] = Number(last);
  }
  return problems;
}

/**
 * Acceptance (issue 3, crash): the projector, running inside the built API (`npm start`), is
 * SIGKILLed again and again while it catches up on a generated history; restarted, it catches up,
 * and then `GET /trends` equals the trends rebuilt from scratch over the same log and the
 * generator's oracle, and every document of every read model, positions included, equals the
 * rebuild's: nothing applied twice, nothing lost. (test/projector/crash.spec.ts does the same
 * for the bare runtime, with counters that check every intermediate state.)
 */
describe('the built API SIGKILLed repeatedly during catch-up', () => {
  let sandbox: CliSandbox;
  let oracle: ExpectedFigures;
  let token: string;
  let api: BuiltApi | undefined;

  beforeAll(async () => {
    sandbox = cliSandbox();
    const lines = [...generateHistory({ partnerships: PARTNERSHIPS, seed: SEED, until: UNTIL })];
    oracle = expectedFigures(lines);
    const file = sandbox.writeFile('history.jsonl', lines.map((line) => JSON.stringify(line)));
    const imported = await sandbox.run('import', file, '--concurrency', '16');
    expect(imported.exitCode).toBe(0);
    const minted = await sandbox.run('token', '--role', 'analyst'); // signed with DATA_DIR/jwt-secret, which the API reads
    expect(minted.exitCode).toBe(0);
    token = minted.stdout.trim();
  }, 120_000);

  afterAll(async () => {
    if (api) await stopBuiltApi(api);
    sandbox?.cleanup();
  });

  it(`killed ${KILLS} times mid-catch-up then restarted: GET /trends and every read model equal a rebuild from scratch, and the oracle`, async () => {
    // given: the log, and every read model rebuilt from it from scratch, in-process, into another store
    const events = await createEventStore(sandbox.config.eventStoreUrl);
    const head = await events.headPosition();
    expect(head).toBe(oracle.events);
    expect(head).toBeGreaterThan(4 * 2000); // each projection commits several batches (of 2,000 events)
    const rebuiltStore = await createReadStore(`embedded:${join(sandbox.dataDir, 'rebuilt')}`);
    const rebuiltRuntime = new ProjectorRuntime(events, rebuiltStore, allProjections());
    await rebuiltRuntime.rebuild();
    const rebuiltTrends: TrendTables = trendTables(await rebuiltRuntime.collection(TRENDS).findOne({ _id: COUNTERS_ID }));
    const rebuilt = await everyDocument(rebuiltStore);
    await rebuiltRuntime.stop();
    await rebuiltStore.close();
    await events.close();
    expect(rebuiltTrends).toEqual(tablesFromOracle(oracle)); // the reference itself is right
    expect(rebuilt.trend_facets__v1).toHaveLength(PARTNERSHIPS);

    // when: the API starts on that log with no read models, and is SIGKILLed each time the trends
    // projection has committed one more batch (a little later each time, so that the other
    // projections are at various points of theirs)
    const readModels = sandbox.config.readStoreUrl.replace(/^embedded:/, '');
    let previous: Positions = Object.fromEntries(PROJECTIONS.map((name) => [name, 0]));
    for (let kill = 1; kill <= KILLS; kill++) {
      api = spawnBuiltApi(sandbox.dataDir, { nodeArgs: ['--require', REPORT_CHECKPOINTS] });
      const trendsCommitted = await api.waitFor(`trends committing past ${previous.trends}`, (output) => {
        const position = reportedPositions(output).trends;
        return position > previous.trends ? position : undefined;
      });
      await delay(40 * (kill - 1));
      const { signal } = await stopBuiltApi(api, 'SIGKILL');
      const output = api.output();
      const reported = reportedPositions(output);
      api = undefined;
      expect(signal).toBe('SIGKILL'); // killed, not exited by itself

      // then, after each kill: killed mid-catch-up, nothing committed was lost, no event applied twice or skipped
      const positions = await committedPositions(readModels);
      const context = { kill, head, previous, reported, positions };
      expect({ ...context, problems: resumptionProblems(output, previous) }).toEqual({ ...context, problems: [] });
      expect(trendsCommitted).toBeGreaterThan(0);
      expect({ ...context, trendsMidway: positions.trends >= trendsCommitted && positions.trends < head }).toEqual({ ...context, trendsMidway: true });
      for (const name of PROJECTIONS) {
        expect({ name, ...context, backwards: positions[name] < previous[name] }).toEqual({ name, ...context, backwards: false });
        expect({ name, ...context, lost: positions[name] < (reported[name] ?? 0) }).toEqual({ name, ...context, lost: false });
      }
      previous = positions;
    }

    // when: restarted, it catches up...
    api = spawnBuiltApi(sandbox.dataDir, { nodeArgs: ['--require', REPORT_CHECKPOINTS], timeoutMs: 120_000 });
    const baseUrl = await api.listening; // (today only once caught up: see support/report-checkpoints.js)
    let statuses: ProjectionStatus[] = [];
    for (const deadline = Date.now() + 120_000; ; await delay(50)) {
      const { status, body } = await getJson<ProjectionStatus[]>(`${baseUrl}/admin/projections`, token);
      expect(status).toBe(200);
      statuses = body;
      if (statuses.every(({ state, position }) => state === 'live' && position === head)) break;
      expect(statuses.filter(({ state }) => state === 'failed')).toEqual([]);
      if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(statuses)}`);
    }
    expect(statuses.map(({ name }) => name).sort()).toEqual([...PROJECTIONS].sort());
    expect(resumptionProblems(api.output(), previous)).toEqual([]); // from where each had stopped

    // then: its trends equal the rebuild's and the oracle's, key for key
    const trends = await getJson(`${baseUrl}/trends?minPosition=${head}`);
    expect(trends.status).toBe(200);
    expect(trends.body).toEqual(rebuiltTrends);
    expect(trends.body).toEqual(tablesFromOracle(oracle));

    // and, once it has stopped and released the store, every document of every read model
    // (trend facets and counters, partnerships, timelines, audit, compliance, organisations,
    // checkpoints) equals the rebuild's, positions included
    const stopped = await stopBuiltApi(api, 'SIGTERM');
    api = undefined;
    expect(stopped.code === 0 || stopped.signal === 'SIGTERM').toBe(true);
    const resumedStore = await createReadStore(`embedded:${readModels}`);
    try {
      const resumed = await everyDocument(resumedStore);
      expect(Object.keys(resumed)).toEqual(Object.keys(rebuilt));
      for (const name of Object.keys(rebuilt)) {
        expect({ name, documents: resumed[name].length }).toEqual({ name, documents: rebuilt[name].length });
        expect(resumed[name]).toEqual(rebuilt[name]);
      }
    } finally {
      await resumedStore.close();
    }
  }, 240_000);
});
