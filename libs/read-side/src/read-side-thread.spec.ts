import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RegistryConfig } from '@registry/config';
import { CURRENT_SCHEMA_VERSION, type PartnershipEvent } from '@registry/domain';
import { pcfvRegistered, PCFV, reportFiled } from '../../domain/src/testing/fixtures';
import { createEventStore, type EventStore, type NewEvent } from '@registry/event-store';
import { InvalidInput, Unavailable } from '@registry/shared-kernel';
import { ReadSideThread } from './read-side-thread';

/** A decided event as the command side would append it. */
const envelope = (event: PartnershipEvent): NewEvent => ({
  type: event.type,
  schemaVersion: CURRENT_SCHEMA_VERSION,
  data: event.data,
  metadata: { actor: { id: 'test', role: 'secretariat' }, effectiveAt: event.metadata.effectiveAt, correlationId: 'c', causationId: 'c' },
});

describe('ReadSideThread', () => {
  let dataDir: string;
  let config: RegistryConfig;
  let events: EventStore;
  let thread: ReadSideThread | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-read-side-'));
    config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    events = await createEventStore(config.eventStoreUrl);
  });

  afterEach(async () => {
    await thread?.close();
    thread = undefined;
    await events.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a registration in the log, when the thread starts, then its read models have it and follow what this thread appends next', async () => {
    // given
    const { lastPosition } = await events.append(PCFV, pcfvRegistered().map(envelope), 0);

    // when
    thread = new ReadSideThread(config);
    await thread.start();

    // then
    expect(await thread.readModels.waitForPosition(lastPosition, 10_000)).toBe(true);
    const partnership = await thread.readModels.collection('partnerships').findOne({ _id: PCFV });
    expect(partnership).toMatchObject({ _id: PCFV, status: 'active', version: lastPosition });

    // when: an append by the API's own store
    const report = await events.append(PCFV, [envelope(reportFiled('r1', { from: '2003-01-01', to: '2003-12-31' }, '2004-01-15'))], lastPosition);

    // then
    expect(await thread.readModels.waitForPosition(report.lastPosition, 10_000)).toBe(true);
    const found = await thread.readModels.collection('partnerships').find({ reportCount: { $gte: 1 } }, { projection: { _id: 1 } }).toArray();
    expect(found).toEqual([{ _id: PCFV }]);
    expect(await thread.readModels.collection('audit').countDocuments({ partnershipId: PCFV })).toBe(report.lastPosition);
    expect((await thread.readModels.status()).every((status) => status.position === report.lastPosition)).toBe(true);
  });

  it('given a call the thread refuses, then the error arrives as the same class, with its details', async () => {
    // given
    thread = new ReadSideThread(config);
    await thread.start();

    // when
    const page = thread.asOf!.partnerships({ asOf: '2010-02-01T00:00:00.000Z', knownAt: null }, {}, { cursor: 'not-a-cursor' });

    // then
    await expect(page).rejects.toBeInstanceOf(InvalidInput);
    await expect(page).rejects.toMatchObject({ details: [{ field: 'cursor', rule: 'issued-cursor' }] });
  });

  it('given the thread has closed, when a query comes, then it fails as unavailable', async () => {
    // given
    thread = new ReadSideThread(config);
    await thread.start();
    await thread.close();

    // when
    const query = thread.readModels.collection('partnerships').findOne({ _id: PCFV });

    // then
    await expect(query).rejects.toBeInstanceOf(Unavailable);
  });
});
