import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { firstValueFrom, take, toArray } from 'rxjs';
import { findChainBreak, SqliteEventStore, type EventStore } from '@registry/event-store';
import { describeEventStoreContract, newEvents } from './event-store.contract';

/** A fresh SQLite file in its own temporary directory; every store opened on it is closed by cleanup. */
function sqliteFixture() {
  const directory = mkdtempSync(join(tmpdir(), 'registry-event-store-'));
  const filePath = join(directory, 'events.sqlite');
  const opened: EventStore[] = [];
  const open = async (options = {}): Promise<SqliteEventStore> => {
    const store = SqliteEventStore.open(filePath, options);
    opened.push(store);
    return store;
  };
  return {
    filePath,
    open,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

describeEventStoreContract('SQLite', async () => {
  const { open, cleanup, filePath } = sqliteFixture();
  return {
    store: await open(),
    reopen: open,
    openSecondWriter: open,
    keepsSnapshots: true,
    setLastRecordedAt: async (recordedAt: string) => {
      const db = new Database(filePath);
      try {
        db.prepare("UPDATE events SET metadata = json_set(metadata, '$.recordedAt', ?) WHERE global_position = (SELECT MAX(global_position) FROM events)").run(recordedAt);
      } finally {
        db.close();
      }
    },
    cleanup,
  };
});

describe('SqliteEventStore', () => {
  let fixture: ReturnType<typeof sqliteFixture>;

  beforeEach(() => {
    fixture = sqliteFixture();
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  it('given a file opened by the store, then it is in WAL mode', async () => {
    // given
    await fixture.open();

    // then
    const db = new Database(fixture.filePath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('given a row altered behind the store, when the chain is verified, then the break is found at that row', async () => {
    // given
    const store = await fixture.open();
    await store.append('partnership-a', newEvents(5), 0);
    const db = new Database(fixture.filePath);
    db.prepare(`UPDATE events SET data = json_set(data, '$.i', 99) WHERE global_position = 3`).run();
    db.close();

    // when
    const chainBreak = findChainBreak(await store.readAll(1, 100));

    // then
    expect(chainBreak).toMatchObject({ globalPosition: 3 });
  });

  it('given the write transaction fails midway, when several appends share it, then all of them reject and nothing is written', async () => {
    // given
    const store = await fixture.open();
    await store.append('partnership-a', newEvents(1), 0);
    const db = new Database(fixture.filePath);
    db.exec(`CREATE TRIGGER fail_boom BEFORE INSERT ON events WHEN NEW.type = 'Boom'
             BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`);

    // when
    const outcomes = await Promise.allSettled([
      store.append('partnership-b', newEvents(2), 0),
      store.append('partnership-c', [{ ...newEvents(1)[0], type: 'Boom' }], 0),
      store.append('partnership-d', newEvents(1), 0),
    ]);

    // then
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(outcomes[0]).toMatchObject({ reason: { message: 'simulated disk failure' } });
    expect(await store.headPosition()).toBe(1);

    // and once the cause is gone, the log continues without a gap
    db.exec('DROP TRIGGER fail_boom');
    db.close();
    expect(await store.append('partnership-b', newEvents(1), 0)).toMatchObject({ lastPosition: 2 });
  });

  it('given another connection holds the write lock past the busy timeout, when appending, then the append rejects and a later one succeeds', async () => {
    // given
    const store = await fixture.open({ busyTimeoutMs: 50 });
    const db = new Database(fixture.filePath);
    db.exec('BEGIN IMMEDIATE');

    // when
    const attempt = store.append('partnership-a', newEvents(1), 0);

    // then
    await expect(attempt).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    db.exec('ROLLBACK');
    db.close();
    expect(await store.append('partnership-a', newEvents(1), 0)).toMatchObject({ lastPosition: 1 });
  });

  it('given more concurrent appends than the batch size, when they complete, then every one is written once, in call order', async () => {
    // given
    const store = await fixture.open({ maxBatchSize: 8 });

    // when
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`partnership-${i}`, newEvents(1), 0)));

    // then
    expect(results.map((result) => result.lastPosition)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('given a second store on the same file in this process that never polls, when the first appends, then its subscription hears of it at once', async () => {
    // given
    const writer = await fixture.open();
    const reader = await fixture.open({ pollIntervalMs: 3_600_000 });
    await writer.append('partnership-a', newEvents(1), 0); // the reader's first read finds it
    const seen = firstValueFrom(reader.subscribe(1).pipe(take(3), toArray()));

    // when
    await writer.append('partnership-a', newEvents(2), 1);

    // then
    expect((await seen).map((event) => event.globalPosition)).toEqual([1, 2, 3]);
  });

  it('given the store is closed, when appending, then it rejects', async () => {
    // given
    const store = await fixture.open();
    await store.close();

    // when / then
    await expect(store.append('partnership-a', newEvents(1), 0)).rejects.toThrow('closed');
  });
});
