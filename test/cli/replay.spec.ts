import * as fs from 'node:fs';
import * as path from 'node:path';
import { allProjections, trendTables, type PartnershipDocument } from '@registry/projections';
import { createReadStore } from '@registry/read-store';
import { CHECKPOINTS } from '@registry/projector';
import { startTestApp } from '../e2e/support/test-app';
import { cliSandbox, rejectedLineNumbers, type CliSandbox } from './support/cli';

const partners = [
  { orgId: 'unep', name: 'United Nations Environment Programme', type: 'un-system', lead: true },
  { orgId: 'wwf', name: 'WWF', type: 'ngo' },
];
const register = (id: string, effectiveDate: string, scope: string) =>
  JSON.stringify({ command: 'RegisterPartnership', data: { id, name: `Partnership ${id}`, themes: { primary: ['chemicals'] }, scope, startDate: effectiveDate, partners }, effectiveDate });

const readJsonLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** What a read store holds, without the runtime's `_position` stamp, by collection. */
function withoutPosition(documents: Record<string, unknown>[]) {
  return documents.map(({ _position: _, ...document }) => document);
}

describe('registry replay', () => {
  let sandbox: CliSandbox;
  /** Between the import and the corrections. */
  let knownAt: string;

  beforeAll(async () => {
    sandbox = cliSandbox();
    const history = sandbox.writeFile('history.jsonl', [
      register('p-2002', '2002-09-01', 'global'),
      register('p-2005', '2005-03-01', 'regional'),
      register('p-2009', '2009-06-01', 'local'),
      register('p-2011', '2011-01-10', 'national'),
    ]);
    const imported = await sandbox.run('import', history);
    expect(rejectedLineNumbers(imported.stderr)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    knownAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const corrections = sandbox.writeFile('corrections.jsonl', [
      JSON.stringify({ command: 'AmendPartnership', data: { partnershipId: 'p-2005', scope: 'subregional' }, effectiveDate: '2006-01-01', rationale: 'correction' }),
      JSON.stringify({ command: 'EndPartnership', data: { partnershipId: 'p-2009', reason: 'dissolved' }, effectiveDate: '2009-12-01' }),
    ]);
    const corrected = await sandbox.run('import', corrections);
    expect(rejectedLineNumbers(corrected.stderr)).toEqual([]);
  }, 60_000);
  afterAll(() => sandbox.cleanup());

  it('--out writes every read model as of T, one JSON Lines file per collection, with progress on stderr', async () => {
    const out = path.join(sandbox.dataDir, 'out-csd18');
    const result = await sandbox.run('replay', '--as-of', '2010-02-01', '--out', out);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/replayed 11 events \(up to position \d+\) as of 2010-02-01T00:00:00.000Z, everything recorded, into 9 files/);
    expect(result.stderr).toContain('replay: 100%');
    expect(fs.readdirSync(out).sort()).toEqual([
      'audit.jsonl', 'compliance.jsonl', 'organisation_rosters.jsonl', 'organisations.jsonl', 'partnerships.jsonl', 'replay.json', 'timeline_entries.jsonl', 'timelines.jsonl', 'trend_facets.jsonl', 'trends.jsonl',
    ]);
    const partnerships = readJsonLines(path.join(out, 'partnerships.jsonl')) as unknown as PartnershipDocument[];
    expect(partnerships.map(({ _id, scope, status }) => `${_id}:${scope}:${status}`)).toEqual(['p-2002:global:active', 'p-2005:subregional:active', 'p-2009:local:ended']);
    const [counters] = readJsonLines(path.join(out, 'trends.jsonl'));
    expect(trendTables(counters)).toMatchObject({ registered: 3, active: 2, byScope: { global: 1, subregional: 1, regional: 0, local: 0 } });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'replay.json'), 'utf8'))).toMatchObject({ asOf: '2010-02-01T00:00:00.000Z', knownAt: null, events: 11, collections: { partnerships: 3 } });
  });

  it('--known-at leaves out what was recorded after K', async () => {
    const out = path.join(sandbox.dataDir, 'out-known');
    const result = await sandbox.run('replay', '--as-of', '2010-02-01', '--known-at', knownAt, '--out', out);
    expect(result.exitCode).toBe(0);
    const partnerships = readJsonLines(path.join(out, 'partnerships.jsonl')) as unknown as PartnershipDocument[];
    expect(partnerships.map(({ _id, scope, status }) => `${_id}:${scope}:${status}`)).toEqual(['p-2002:global:active', 'p-2005:regional:active', 'p-2009:local:active']);
  });

  it('--into builds a namespace the API serves read-only, equal to the files of --out', async () => {
    const result = await sandbox.run('replay', '--session', 'CSD-18', '--into', 'csd18');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('serve it read-only with: REPLAY=csd18 npm start');
    expect(result.stderr).toContain('replay trends: 100%');
    expect(fs.existsSync(path.join(sandbox.dataDir, 'replays', 'csd18'))).toBe(true);

    const out = path.join(sandbox.dataDir, 'out-csd18');
    const store = await createReadStore(`embedded:${path.join(sandbox.dataDir, 'replays', 'csd18')}`);
    try {
      const checkpoints = await store.collection(CHECKPOINTS).find({}).toArray();
      expect(checkpoints.map((checkpoint) => checkpoint._id).sort()).toEqual(['compliance', 'organisations', 'partnerships', 'timelines', 'trends']);
      for (const name of ['partnerships', 'audit', 'trends', 'organisations']) {
        const { version } = allProjections().find((projection) => projection.collections.some((collection) => collection.name === name))!;
        const stored = await store.collection(`${name}__v${version}`).find({}, { sort: { _id: 1 } }).toArray();
        expect({ name, documents: withoutPosition(stored as Record<string, unknown>[]) }).toEqual({ name, documents: readJsonLines(path.join(out, `${name}.jsonl`)) });
      }
    } finally {
      await store.close();
    }

    const api = await startTestApp({ DATA_DIR: sandbox.dataDir, REPLAY: 'csd18' });
    try {
      const trends = await api.request({ method: 'GET', url: '/trends', token: null });
      expect(trends.json).toMatchObject({ registered: 3, active: 2, byScope: { subregional: 1 } });
      const list = await api.request({ method: 'GET', url: '/partnerships', token: null });
      expect(list.json.items.map((p: { _id: string }) => p._id)).toEqual(['p-2002', 'p-2005', 'p-2009']);
      const write = await api.request({ method: 'POST', url: '/partnerships/p-2002/end', body: { reason: 'completed' } });
      expect(write.statusCode).toBe(503);
      expect(write.json).toMatchObject({ statusCode: 503, details: [{ field: 'method', rule: 'read-only' }] });
      expect(write.json.message).toContain('read-only: it serves the replay "csd18"');
      expect(write.headers['retry-after']).toBeUndefined();
      const asOf = await api.request({ method: 'GET', url: '/trends?asOf=2005-01-01', token: null });
      expect(asOf.statusCode).toBe(400);
      expect(asOf.json.message).toContain('not available here: this API serves the replay "csd18"');
      const sessions = await api.request({ method: 'GET', url: '/sessions', token: null });
      expect(sessions.statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('an existing replay is rebuilt only with --replace', async () => {
    const again = await sandbox.run('replay', '--as-of', '2005-06-01', '--into', 'twice');
    expect(again.exitCode).toBe(0);
    const refused = await sandbox.run('replay', '--as-of', '2005-06-01', '--into', 'twice');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('the replay "twice" exists already');
    const replaced = await sandbox.run('replay', '--as-of', '2009-07-01', '--into', 'twice', '--replace');
    expect(replaced.exitCode).toBe(0);
  });

  it.each([
    [['--as-of', '2010-02-01'], /--out DIR or --into NAME/],
    [['--as-of', '2010-02-01', '--out', 'x', '--into', 'y'], /--out DIR or --into NAME/],
    [['--out', 'x'], /say when/],
    [['--as-of', '01/02/2010', '--out', 'x'], /option '--as-of' must be a date/],
    [['--as-of', '2010-02-01', '--known-at', 'now', '--out', 'x'], /option '--known-at' must be a date/],
    [['--session', 'CSD-99', '--out', 'x'], /option '--session' must be one of WSSD, CSD-11/],
    [['--session', 'CSD-18', '--as-of', '2010-02-01', '--out', 'x'], /--as-of or --session, not both/],
    [['--as-of', '2010-02-01', '--into', '../escape'], /option '--into <name>' must be/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await sandbox.run('replay', ...args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
