import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { findChainBreak, LISTENER_APPLICATION_NAME, PostgresEventStore, type EventStore, type PostgresEventStoreOptions, type RecordedEvent } from '@registry/event-store';
import { delay, waitUntil } from '../support/wait';
import { describeEventStoreContract, newEvent, newEvents } from './event-store.contract';

/**
 * Runs against the PostgreSQL server of POSTGRES_TEST_URL (default: local, user postgres, trust
 * authentication), in a database created for this run and dropped after it. Each test gets a
 * schema of its own, selected through the connection's search_path.
 */
const serverUrl = new URL(process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const database = `registry_test_${randomBytes(6).toString('hex')}`;

function urlOf(databaseName: string, schema?: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  if (schema) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function execute(databaseName: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: urlOf(databaseName) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await execute(serverUrl.pathname.slice(1), `CREATE DATABASE ${database}`);
});

afterAll(async () => {
  await execute(serverUrl.pathname.slice(1), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

let schemas = 0;

/** A fresh schema; every store opened on it is closed, and the schema dropped, by cleanup. */
async function postgresFixture() {
  const schema = `store_${++schemas}`;
  await execute(database, `CREATE SCHEMA ${schema}`);
  const url = urlOf(database, schema);
  const opened: EventStore[] = [];
  const open = async (options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> => {
    const store = await PostgresEventStore.open(url, { poolSize: 4, ...options });
    opened.push(store);
    return store;
  };
  return {
    /** Runs SQL in the fixture's schema, behind the stores' back. */
    execute: (sql: string) => execute(database, `SET search_path = ${schema}; ${sql}`),
    /** The first column of each row of a query. */
    query: async (sql: string): Promise<unknown[]> => {
      const client = new Client({ connectionString: urlOf(database) });
      await client.connect();
      try {
        return (await client.query({ text: sql, rowMode: 'array' })).rows.map((row: unknown[]) => row[0]);
      } finally {
        await client.end();
      }
    },
    open,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await execute(database, `DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

describeEventStoreContract('PostgreSQL', async () => {
  const { open, cleanup, execute } = await postgresFixture();
  return {
    store: await open(),
    reopen: () => open(),
    openSecondWriter: () => open(),
    keepsSnapshots: true,
    setLastRecordedAt: (recordedAt: string) =>
      execute(`UPDATE events SET metadata = jsonb_set(metadata::jsonb, '{recordedAt}', to_jsonb('${recordedAt}'::text))::json
        WHERE global_position = (SELECT max(global_position) FROM events)`),
    cleanup,
  };
});

describe('PostgresEventStore', () => {
  let fixture: Awaited<ReturnType<typeof postgresFixture>>;

  beforeEach(async () => {
    fixture = await postgresFixture();
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  it('given four store instances appending at once, when the log is read, then positions, versions and the chain have no gap', async () => {
    // given
    const stores = await Promise.all([fixture.open(), fixture.open(), fixture.open(), fixture.open()]);

    // when
    await Promise.all(
      stores.map(async (store, s) => {
        for (let round = 0; round < 10; round++) {
          await Promise.all(Array.from({ length: 5 }, (_, k) => store.append(`partnership-${k}`, [newEvent(`S${s}R${round}`)], 'any')));
        }
      }),
    );

    // then
    const log = await stores[0].readAll(1, 1000);
    expect(log.map((event) => event.globalPosition)).toEqual(log.map((_, index) => index + 1));
    expect(log).toHaveLength(200);
    for (let k = 0; k < 5; k++) {
      expect((await stores[0].readStream(`partnership-${k}`)).map((event) => event.streamVersion)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    }
    expect(findChainBreak(log)).toBeNull();
  });

  /** A subscriber caught up on one event, that does not poll, and another instance to append with. */
  async function caughtUpSubscriber() {
    const subscriberStore = await fixture.open({ pollIntervalMs: 60_000 });
    const writer = await fixture.open();
    await writer.append('partnership-a', newEvents(1), 0);
    const received: RecordedEvent[] = [];
    const subscription = subscriberStore.subscribe(1).subscribe((event) => received.push(event));
    await waitUntil(() => received.length >= 1);
    /** Resolves once the events at positions 2 and 3 have arrived, well before a poll would bring them. */
    const notified = async () => {
      await waitUntil(() => received.length >= 3).finally(() => subscription.unsubscribe());
      expect(received.map((event) => event.globalPosition)).toEqual([1, 2, 3]);
    };
    return { writer, notified };
  }

  it('given a caught-up subscriber that does not poll, when another instance appends, then the notification brings the events', async () => {
    // given
    const { writer, notified } = await caughtUpSubscriber();

    // when
    await writer.append('partnership-a', newEvents(2), 1);

    // then
    await notified();
  });

  it('given its listening connection is terminated, when another instance appends, then a new connection listens and the notification brings the events', async () => {
    // given: a caught-up subscriber that does not poll, whose listener the server drops
    const { writer, notified } = await caughtUpSubscriber();
    const listeners = `SELECT pid FROM pg_stat_activity WHERE datname = '${database}' AND application_name = '${LISTENER_APPLICATION_NAME}'`;
    const before = await fixture.query(listeners);
    await fixture.execute(`SELECT pg_terminate_backend(pid) FROM (${listeners}) AS listening`);
    for (let replaced = false; !replaced; await delay(20)) {
      const now = await fixture.query(listeners);
      replaced = now.length === before.length && now.every((pid) => !before.includes(pid));
    }

    // when
    await writer.append('partnership-a', newEvents(2), 1);

    // then
    await notified();
  });

  it('given a row altered behind the store, when the chain is verified, then the break is found at that row', async () => {
    // given
    const store = await fixture.open();
    await store.append('partnership-a', newEvents(5), 0);
    await fixture.execute(`UPDATE events SET data = '{"i":99}' WHERE global_position = 3`);

    // when
    const chainBreak = findChainBreak(await store.readAll(1, 100));

    // then
    expect(chainBreak).toMatchObject({ globalPosition: 3 });
  });

  it('given the write transaction fails midway, when several appends share it, then all of them reject and nothing is written', async () => {
    // given
    const store = await fixture.open();
    await store.append('partnership-a', newEvents(1), 0);
    await fixture.execute(`
      CREATE FUNCTION fail_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'simulated disk failure'; END $$;
      CREATE TRIGGER fail_boom BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.type = 'Boom') EXECUTE FUNCTION fail_boom();`);

    // when
    const outcomes = await Promise.allSettled([
      store.append('partnership-b', newEvents(2), 0),
      store.append('partnership-c', [newEvent('Boom')], 0),
      store.append('partnership-d', newEvents(1), 0),
    ]);

    // then
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(outcomes[0]).toMatchObject({ reason: { message: 'simulated disk failure' } });
    expect(await store.headPosition()).toBe(1);

    // and once the cause is gone, the log continues without a gap
    await fixture.execute('DROP TRIGGER fail_boom ON events');
    expect(await store.append('partnership-b', newEvents(1), 0)).toMatchObject({ lastPosition: 2 });
  });
});
