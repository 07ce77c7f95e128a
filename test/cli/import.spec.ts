import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { findChainBreak } from '@registry/event-store';
import { CommandFactory } from 'nest-commander';
import { CliIo } from '../../apps/cli/src/cli-io';
import { cliRunOptions } from '../../apps/cli/src/cli-run-options';
import { CliModule } from '../../apps/cli/src/cli.module';
import { readImportFile } from '../../apps/cli/src/import/import-file';
import { JsonlImporter } from '../../apps/cli/src/import/jsonl-importer';
import { cliSandbox, rejectedLineNumbers, SEED_FILE, type CliSandbox } from './support/cli';

const seedBytes = fs.readFileSync(SEED_FILE);
const seedSha256 = createHash('sha256').update(seedBytes).digest('hex');
const seedLines = seedBytes.toString('utf8').split('\n');
/** 1-based numbers of the lines that carry a command (not blank, not a comment). */
const seedCommandLines = seedLines.flatMap((text, index) => (text.trim().startsWith('{') ? [index + 1] : []));
const lineOf = (needle: string) => seedLines.findIndex((text) => text.includes(needle)) + 1;

const registration = (id: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    command: 'RegisterPartnership',
    data: {
      id,
      name: `Partnership ${id}`,
      themes: { primary: ['chemicals'] },
      scope: 'global',
      startDate: '2005-02-25',
      partners: [
        { orgId: 'unep', name: 'United Nations Environment Programme', type: 'un-system', lead: true },
        { orgId: 'unido', name: 'United Nations Industrial Development Organization', type: 'un-system' },
      ],
      ...overrides,
    },
    effectiveDate: '2005-03-01',
  });
const join = (partnershipId: string, orgId: string, effectiveDate = '2007-02-09') =>
  JSON.stringify({ command: 'JoinPartner', data: { partnershipId, orgId, name: `Org ${orgId}`, type: 'ngo' }, effectiveDate });

describe('registry import', () => {
  let sandbox: CliSandbox;

  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('applies every line of examples/seed-partnerships.jsonl and records file, sha256 and line on each event', async () => {
    const result = await sandbox.run('import', SEED_FILE, '--actor', 'seed-importer');

    expect(rejectedLineNumbers(result.stderr)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`(sha256 ${seedSha256})`);
    expect(result.stdout).toContain(`${seedCommandLines.length} lines: ${seedCommandLines.length} applied, 0 replayed, 0 rejected`);

    const events = await sandbox.events();
    expect(result.stdout).toContain(`; ${events.length} events appended in `);
    expect(findChainBreak(events)).toBeNull();
    for (const event of events) {
      expect(event.metadata.actor).toEqual({ id: 'seed-importer', role: 'secretariat' });
      expect(event.metadata.source).toEqual({ file: 'seed-partnerships.jsonl', sha256: seedSha256, line: expect.any(Number) });
    }
    // Every command line produced events, and events name no other line.
    expect([...new Set(events.map((e) => e.metadata.source!.line))].sort((a, b) => a! - b!)).toEqual(seedCommandLines);

    // The line's effective date, rationale and the domain's own behaviour went through.
    const merge = events.filter((e) => e.metadata.source!.line === lineOf('"MergePartnership"'));
    expect(merge.map((e) => [e.streamId, e.type])).toEqual([
      ['gmp-supply-storage', 'PartnershipMerged'],
      ['gmp-supply-storage', 'PartnershipEnded'],
      ['gmp-waste', 'PartnershipAbsorbed'],
      ['gmp-waste', 'PartnerJoined'],
    ]);
    expect(merge[3].data).toMatchObject({ partner: { orgId: 'zmwg' }, viaMergeOf: 'gmp-supply-storage' });
    expect(merge[0].metadata.effectiveAt).toBe('2010-03-31T00:00:00.000Z');

    const ended = events.find((e) => e.streamId === 'basel-mppi' && e.type === 'PartnershipEnded')!;
    expect(ended.data).toMatchObject({ reason: 'completed' });
    expect(ended.metadata.reason).toMatch(/^Work programme completed/);
    expect(ended.metadata.source!.line).toBe(lineOf('"EndPartnership"'));

    const amended = events.find((e) => e.type === 'PartnershipAmended')!;
    expect(amended).toMatchObject({ streamId: 'methane-to-markets', data: { changes: { name: 'Global Methane Initiative' } } });
  });

  it('reports bad lines by number and still applies every valid line, and only those', async () => {
    const file = sandbox.writeFile('mixed.jsonl', [
      registration('gmp-asgm'), //                                           1 valid: 3 events
      '# a comment, skipped', //                                             2
      registration('gmp-bad', { themes: { primary: ['space-mining'] } }), // 3 invalid theme code
      join('gmp-asgm', 'nrdc'), //                                           4 valid: 1 event
      join('no-such-partnership', 'nrdc'), //                                5 unknown partnership
      '{"command": "JoinPartner", "data": {', //                             6 malformed JSON
      JSON.stringify({
        command: 'FileReport',
        data: { partnershipId: 'gmp-asgm', reportId: 'r1', period: { from: '2008-01-01', to: '2009-12-31' }, summary: 'Training', activities: ['capacity-building'] },
        effectiveDate: '2010-01-15',
      }), //                                                                 7 valid: 1 event
      '', //                                                                 8 blank, skipped
      JSON.stringify({ command: 'ArchivePartnership', data: { partnershipId: 'gmp-asgm' }, effectiveDate: '2010-01-15' }), // 9 unknown command
      JSON.stringify({ command: 'DesignateLead', data: { partnershipId: 'gmp-asgm', orgId: 'nrdc' }, effectiveDate: '2010-02-01' }), // 10 valid: 1 event
      join('gmp-asgm', 'unido', '2010-03-01'), //                            11 domain rule: already a partner
    ]);

    const result = await sandbox.run('import', file, '--concurrency', '4');

    expect(result.exitCode).toBe(1);
    expect(rejectedLineNumbers(result.stderr)).toEqual([3, 5, 6, 9, 11]);
    expect(result.stderr).toMatch(/^line 3: invalid-input themes\.primary isIn: /m);
    expect(result.stderr).toMatch(/^line 5: not-found partnershipId partnership-exists: partnership no-such-partnership not found$/m);
    expect(result.stderr).toMatch(/^line 6: invalid-input - json: malformed JSON/m);
    expect(result.stderr).toMatch(/^line 9: invalid-input command isIn: command must be one of RegisterPartnership, /m);
    expect(result.stderr).toMatch(/^line 11: rule-violation partner\.orgId not-already-partner: /m);
    expect(result.stdout).toContain('9 lines: 4 applied, 0 replayed, 5 rejected; 6 events appended');

    const events = await sandbox.events();
    expect(events).toHaveLength(6);
    expect(events.map((e) => [e.metadata.source!.line, e.streamId, e.type])).toEqual([
      [1, 'gmp-asgm', 'PartnershipRegistered'],
      [1, 'gmp-asgm', 'PartnerJoined'],
      [1, 'gmp-asgm', 'PartnerJoined'],
      [4, 'gmp-asgm', 'PartnerJoined'],
      [7, 'gmp-asgm', 'ReportFiled'],
      [10, 'gmp-asgm', 'LeadPartnerDesignated'],
    ]);
  });

  it('judges a line as the HTTP endpoint judges its body: unknown fields and missing ids are refused', async () => {
    const file = sandbox.writeFile('strict.jsonl', [
      registration('gmp-asgm', { colour: 'blue' }),
      JSON.stringify({ command: 'JoinPartner', data: { orgId: 'x', name: 'X', type: 'ngo' }, effectiveDate: '2007-01-01' }),
      JSON.stringify({ command: 'LeavePartner', data: { partnershipId: 'gmp-asgm' }, effectiveDate: '2007-01-01' }),
      JSON.stringify({ command: 'EndPartnership', data: { partnershipId: 'gmp-asgm', reason: 'completed' } }),
    ]);

    const result = await sandbox.run('import', file);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^line 1: invalid-input colour unknown-field: /m);
    expect(result.stderr).toMatch(/^line 2: invalid-input partnershipId required: /m);
    expect(result.stderr).toMatch(/^line 3: invalid-input orgId required: /m);
    expect(result.stderr).toMatch(/^line 4: invalid-input effectiveDate isDefined: /m);
    expect(await sandbox.events()).toEqual([]);
  });

  it('appends nothing when the same file is imported again: every line replays', async () => {
    const first = await sandbox.run('import', SEED_FILE, '--actor', 'seed-importer');
    expect(first.exitCode).toBe(0);
    const before = await sandbox.events();

    const second = await sandbox.run('import', SEED_FILE, '--actor', 'seed-importer');

    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`${seedCommandLines.length} lines: 0 applied, ${seedCommandLines.length} replayed, 0 rejected; 0 events appended`);
    expect(await sandbox.events()).toEqual(before);
  });

  it('after an interrupted run, a re-run applies only the lines not yet applied', async () => {
    // The first run stopped after 7 lines: same file (same sha256), the rest never sent.
    const io = new CliIo(process.stdout, process.stderr);
    const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(sandbox.config, io), cliRunOptions(io));
    const file = await readImportFile(SEED_FILE);
    const partial = await app.get(JsonlImporter).import({ ...file, lines: file.lines.slice(0, 7) }, { actor: 'seed-importer', concurrency: 8 });
    await app.close();
    expect(partial).toMatchObject({ applied: 7, rejected: 0 });
    const afterPartial = (await sandbox.events()).length;

    const rerun = await sandbox.run('import', SEED_FILE, '--actor', 'seed-importer');

    expect(rerun.exitCode).toBe(0);
    expect(rerun.stdout).toContain(`${seedCommandLines.length} lines: ${seedCommandLines.length - 7} applied, 7 replayed, 0 rejected`);
    const events = await sandbox.events();
    const fresh = cliSandbox();
    try {
      await fresh.run('import', SEED_FILE, '--actor', 'seed-importer');
      const reference = await fresh.events();
      expect(events).toHaveLength(reference.length);
      expect(events.map((e) => [e.streamId, e.type, e.metadata.source!.line]).sort()).toEqual(
        reference.map((e) => [e.streamId, e.type, e.metadata.source!.line]).sort(),
      );
    } finally {
      fresh.cleanup();
    }
    expect(events.slice(0, afterPartial).every((e) => e.metadata.source!.line! <= seedCommandLines[6])).toBe(true);
  });

  it('refuses bad options with exit code 2 and a message naming the option', async () => {
    const missing = await sandbox.run('import', `${sandbox.dataDir}/no-such-file.jsonl`);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^error: cannot read .*no-such-file\.jsonl/m);

    const concurrency = await sandbox.run('import', SEED_FILE, '--concurrency', '0');
    expect(concurrency.exitCode).toBe(2);
    expect(concurrency.stderr).toContain("option '--concurrency <n>'");

    const noFile = await sandbox.run('import');
    expect(noFile.exitCode).toBe(2);
    expect(noFile.stderr).toContain("missing required argument 'file'");
    expect(await sandbox.events()).toEqual([]);
  });
});
