import { evolve, initialState, type PartnershipEvent, type PartnershipState } from '@registry/domain';
import { expectedFigures, generateHistory } from '@registry/generator';
import { cliSandbox, rejectedLineNumbers, type CliSandbox } from '../cli/support/cli';

/** Within the past whatever the test machine's clock says: import refuses future effective dates. */
const UNTIL = '2025-12-31';
const PARTNERSHIPS = 200;

describe('a generated history through `registry import`', () => {
  let sandbox: CliSandbox;

  beforeAll(() => {
    sandbox = cliSandbox();
  });
  afterAll(() => sandbox.cleanup());

  it('has every line accepted, appends the events the oracle counts, and ends in the states it computes', async () => {
    const lines = [...generateHistory({ partnerships: PARTNERSHIPS, seed: 2002, until: UNTIL })];
    const figures = expectedFigures(lines);
    const file = sandbox.writeFile('generated.jsonl', lines.map((line) => JSON.stringify(line)));

    const result = await sandbox.run('import', file, '--concurrency', '16');

    expect(rejectedLineNumbers(result.stderr)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${lines.length} lines: ${lines.length} applied, 0 replayed, 0 rejected; ${figures.events} events appended`);
    expect(figures.events / PARTNERSHIPS).toBeGreaterThan(20);
    expect(figures.events / PARTNERSHIPS).toBeLessThan(30);

    // The oracle against the domain's own fold of what was stored.
    const events = await sandbox.events();
    expect(events).toHaveLength(figures.events);
    const states = new Map<string, PartnershipState>();
    for (const { streamId, type, data, metadata } of events) {
      const event = { type, data, metadata: { effectiveAt: metadata.effectiveAt } } as PartnershipEvent;
      states.set(streamId, evolve(states.get(streamId) ?? initialState, event));
    }
    expect(states.size).toBe(PARTNERSHIPS);
    for (const [id, expected] of figures.partnerships) {
      const state = states.get(id);
      if (state?.status !== 'active' && state?.status !== 'ended') throw new Error(`${id} was not registered`);
      expect({ id, status: state.status, endReason: state.endReason, mergedInto: state.mergedInto, reports: state.reportIds.length }).toEqual({
        id,
        status: expected.status,
        endReason: expected.endReason,
        mergedInto: expected.mergedInto,
        reports: expected.reports,
      });
      expect(state.details).toEqual(expected.details);
      const partners = Object.fromEntries(Object.values(state.partners).map(({ orgId, type, lead }) => [orgId, { orgId, type, lead }]));
      expect(partners).toEqual(expected.partners);
    }
  }, 120_000);
});
