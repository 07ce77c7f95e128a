import { expectedFigures, generateHistory, type ExpectedFigures } from '@registry/generator';
import { CSD_18_19_CLUSTER } from '@registry/shared-kernel';
import { cliSandbox, type CliSandbox } from '../cli/support/cli';
import { tablesFromOracle, tablesFromSummaries } from '../support/trend-expectations';
import { startTestApp, type TestApp } from './support/test-app';

const PARTNERSHIPS = 300;
const SEED = 2010;
const UNTIL = '2025-12-31';
/** The CSD-18/19 thematic cluster, by its theme slugs (000 ¶36-45). */
const CSD_CLUSTER = ['transport', 'chemicals', 'mining', 'waste-management', 'consumption-production'];

/**
 * Acceptance (issue 3, read side): a generated registry whose true distributions are known is
 * loaded into the running API (the CLI importer appends to the event store the API reads, and its
 * projector follows live); then every key of `GET /trends`, and of `GET /trends?cluster=…`, must
 * equal the counts computed from the generated commands alone (`expectedFigures`).
 */
describe('GET /trends on a generated registry equals the counts computed from its commands', () => {
  let t: TestApp;
  let sandbox: CliSandbox;
  let oracle: ExpectedFigures;
  let head: number;

  const trends = async (query = '') => {
    const response = await t.request({ method: 'GET', url: `/trends?${query}${query ? '&' : ''}minPosition=${head}`, token: null });
    expect(response.statusCode).toBe(200);
    return response.json;
  };

  beforeAll(async () => {
    t = await startTestApp({ MIN_POSITION_WAIT_MS: '60000' });
    // The importer writes into the app's data directory (its SQLite event log) while the app runs.
    sandbox = cliSandbox({ DATA_DIR: t.dataDir });
    const lines = [...generateHistory({ partnerships: PARTNERSHIPS, seed: SEED, until: UNTIL })];
    oracle = expectedFigures(lines);
    const file = sandbox.writeFile('history.jsonl', lines.map((line) => JSON.stringify(line)));
    const imported = await sandbox.run('import', file, '--concurrency', '16');
    expect({ exitCode: imported.exitCode, stderr: imported.stderr }).toEqual({ exitCode: 0, stderr: expect.not.stringMatching(/^line \d+:/m) });
    head = await t.store.headPosition();
    expect(head).toBe(oracle.events); // every line appended what the oracle expects, nothing refused
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    sandbox?.cleanup();
  });

  it('the generated history is big and varied enough to mean something', () => {
    expect(oracle.registered).toBe(PARTNERSHIPS);
    expect(oracle.active).toBeGreaterThan(0);
    expect(oracle.active).toBeLessThan(oracle.registered);
    expect(Object.values(oracle.ended).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    expect(oracle.trends.registered.cluster.primary).toBeGreaterThan(0);
    expect(Object.keys(oracle.trends.registered.byRegistrationYear).length).toBeGreaterThan(5);
  });

  it('GET /trends: every key equals the oracle (registered, active, by year, scope, region, themes, partner types, leads, duration, resources, mechanisms, partner buckets)', async () => {
    const body = await trends();
    const expected = tablesFromOracle(oracle);
    // toEqual on the whole object: a key missing on either side, or one more, fails too.
    expect(body).toEqual(expected);
    expect(Object.keys(body.byRegistrationYear)).toEqual(Object.keys(expected.byRegistrationYear)); // ascending years
    // The test's own tally (used for clusters below) agrees with the oracle on the whole registry.
    expect(tablesFromSummaries(oracle.partnerships.values())).toEqual(expected);
  });

  it.each([
    ['the CSD-18/19 cluster', CSD_CLUSTER],
    ['one theme', ['water']],
    ['two cluster themes', ['waste-management', 'transport']],
  ])('GET /trends?cluster= (%s): every key equals the counts over the partnerships whose primary themes meet it', async (_name, cluster) => {
    const body = await trends(`cluster=${cluster.join(',')}`);
    const members = [...oracle.partnerships.values()].filter((p) => p.details.themes.primary.some((theme) => cluster.includes(theme)));
    expect(members.length).toBeGreaterThan(0);
    expect(body).toEqual({ cluster, ...tablesFromSummaries(members) });
    if (cluster.join() === CSD_CLUSTER.join()) {
      // The slugs are the shared kernel's, and the oracle's own cluster counts agree.
      expect([...cluster].sort()).toEqual([...CSD_18_19_CLUSTER].sort());
      expect(body.registered).toBe(oracle.trends.registered.cluster.primary);
      expect(body.active).toBe(oracle.trends.active.cluster.primary);
    }
  });
});
