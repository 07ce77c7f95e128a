import { KurrentDBClient, StreamNotFoundError } from '@kurrent/kurrentdb-client';
import { KurrentDbEventStore, type EventStore } from '@registry/event-store';
import { describeEventStoreContract } from './event-store.contract';

const url = process.env.KURRENTDB_URL;

if (url) {
  let logs = 0;

  /** A log stream of its own per test (a KurrentDB server has no throwaway databases), deleted by cleanup. */
  describeEventStoreContract('KurrentDB', async () => {
    const logStream = `registry-log-contract-${process.pid}-${Date.now()}-${++logs}`;
    const opened: EventStore[] = [];
    const open = async (): Promise<EventStore> => {
      const store = await KurrentDbEventStore.open(url, { logStream, pollIntervalMs: 100 });
      opened.push(store);
      return store;
    };
    return {
      store: await open(),
      reopen: open,
      openSecondWriter: open,
      keepsSnapshots: false,
      cleanup: async () => {
        await Promise.all(opened.map((store) => store.close()));
        const client = KurrentDBClient.connectionString(url);
        try {
          await client.deleteStream(logStream);
        } catch (error) {
          if (!(error instanceof StreamNotFoundError)) throw error;
        } finally {
          await client.dispose();
        }
      },
    };
  });
} else {
  // Listed as skipped, by name, at the end of the run (test/support/summary-reporter.js).
  const withoutServer = describe.skip;
  withoutServer('EventStore contract: KurrentDB (SKIPPED: set KURRENTDB_URL, e.g. kurrentdb://localhost:2113?tls=false, to run it against a real server)', () => {
    it('runs against a real KurrentDB server', () => undefined);
  });
}
