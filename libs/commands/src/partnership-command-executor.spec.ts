import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@registry/config';
import { SqliteEventStore } from '@registry/event-store';
import { ConcurrencyConflict, DomainRuleViolation, type PartnerType } from '@registry/shared-kernel';
import type { CommandContext } from './command-context';
import { PartnershipCommandExecutor } from './partnership-command-executor';
import { PartnershipRepository } from './partnership-repository';

/**
 * Two executors with their own caches on one store stand for two processes (the API and a CLI
 * import): a decision must never rest on a cache the other one has outdated.
 */
describe('PartnershipCommandExecutor with a second writer', () => {
  let directory: string;
  let store: SqliteEventStore;
  let first: PartnershipCommandExecutor;
  let second: PartnershipCommandExecutor;
  const context = (extra: Partial<CommandContext> = {}): CommandContext => ({
    principal: { id: 'secretariat-user', role: 'secretariat', partnerships: [] },
    correlationId: 'c-1',
    ...extra,
  });
  const register = (partnershipId = 'p-1', lead: { orgId: string; name: string; type: PartnerType } = { orgId: 'sprep', name: 'SPREP', type: 'igo' }) =>
    first.execute(
      {
        type: 'RegisterPartnership',
        data: {
          partnershipId,
          name: `Pacific Islands waste initiative (${partnershipId})`,
          description: '',
          themes: { primary: ['waste-management'], secondary: [] },
          scope: 'regional',
          regions: ['asia-pacific'],
          countries: ['FJ'],
          startDate: '2002-09-01',
          endDate: null,
          resources: null,
          mechanisms: ['training'],
          partners: [{ ...lead, lead: true }],
        },
      },
      { effectiveDate: '2002-09-04' },
      context(),
    );
  const joinPartner = (executor: PartnershipCommandExecutor, orgId: string, extra: Partial<CommandContext> = {}) =>
    executor.execute({ type: 'JoinPartner', data: { partnershipId: 'p-1', partner: { orgId, name: orgId, type: 'government', lead: false } } }, {}, context(extra));
  const leave = (executor: PartnershipCommandExecutor, orgId: string) =>
    executor.execute({ type: 'LeavePartner', data: { partnershipId: 'p-1', orgId } }, {}, context());

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'registry-executor-'));
    store = SqliteEventStore.open(join(directory, 'events.sqlite'));
    const config = loadConfig({ DATA_DIR: directory });
    first = new PartnershipCommandExecutor(store, config, new PartnershipRepository(store, config));
    second = new PartnershipCommandExecutor(store, config, new PartnershipRepository(store, config));
    await register();
    await joinPartner(first, 'japan'); // the first executor now caches p-1 at version 3
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given commands it appended, then their event ids are version 7 UUIDs in the order of the log', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2)); // a later millisecond than the registration's
    await joinPartner(first, 'fiji');
    const ids = (await store.readStream('p-1')).map((event) => event.eventId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.at(-1)! > ids[0]).toBe(true);
  });

  it('given the other writer added a partner, when the first adds it too, then it is refused on the current state', async () => {
    await joinPartner(second, 'fiji');
    await expect(joinPartner(first, 'fiji')).rejects.toMatchObject({ details: [expect.objectContaining({ rule: 'not-already-partner' })] });
    expect(await store.streamVersion('p-1')).toBe(4);
  });

  it('given the other writer removed a partner, when the first removes it too, then it is refused, not appended twice', async () => {
    await leave(second, 'japan');
    await expect(leave(first, 'japan')).rejects.toBeInstanceOf(DomainRuleViolation);
    expect(await store.streamVersion('p-1')).toBe(4);
  });

  it('given the other writer removed a partner, when the first adds it back, then the cache does not refuse it', async () => {
    await leave(second, 'japan');
    await expect(joinPartner(first, 'japan')).resolves.toMatchObject({ version: 5 });
  });

  it('given an outdated cache, a command without If-Match is decided again and applied at the next version', async () => {
    await joinPartner(second, 'fiji');
    const outcome = await joinPartner(first, 'samoa');
    expect(outcome.version).toBe(5);
  });

  it('given an outdated cache, If-Match with the current version succeeds and a stale one is a conflict', async () => {
    await joinPartner(second, 'fiji');
    await expect(joinPartner(first, 'samoa', { expectedVersion: 3 })).rejects.toBeInstanceOf(ConcurrencyConflict);
    await expect(joinPartner(first, 'samoa', { expectedVersion: 4 })).resolves.toMatchObject({ version: 5 });
  });

  it('given commands on one partnership at once, then they take turns: each is decided on the state the one before left, none meets a conflict', async () => {
    // given
    const append = jest.spyOn(store, 'appendMulti');
    const orgs = ['fiji', 'samoa', 'tonga', 'vanuatu', 'palau'];

    // when
    const outcomes = await Promise.all(orgs.map((orgId) => joinPartner(first, orgId)));

    // then
    expect(outcomes.map((outcome) => outcome.version)).toEqual([4, 5, 6, 7, 8]);
    expect(append).toHaveBeenCalledTimes(orgs.length); // without turns, four of them conflict and are appended again
    for (const call of append.mock.calls) expect(call[0][0].expectedVersion).toBe(append.mock.calls.indexOf(call) + 3);
  });

  it('given a merge and a command on the survivor at once, then the command waits for the merge and sees its partners', async () => {
    // given
    await register('p-2', { orgId: 'unep', name: 'UNEP', type: 'un-system' });

    // when
    const [merged, joined] = await Promise.allSettled([
      first.merge({ type: 'MergePartnership', data: { partnershipId: 'p-2', into: 'p-1' } }, {}, context()),
      joinPartner(first, 'unep'),
    ]);

    // then: UNEP came to p-1 with the merge, so joining it again is refused on the merged state
    expect(merged.status).toBe('fulfilled');
    expect(joined).toMatchObject({ status: 'rejected', reason: { details: [expect.objectContaining({ rule: 'not-already-partner' })] } });
  });
});
