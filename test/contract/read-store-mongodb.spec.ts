import { MongoClient } from 'mongodb';
import { MongoReadStore, type ReadStore } from '@registry/read-store';
import { describeReadStoreContract } from './read-store.contract';

const url = process.env.MONGODB_URL;

if (url) {
  // A throwaway database for this run, dropped after each test.
  const dbName = `read_store_contract_${process.pid}_${Date.now()}`;

  describeReadStoreContract('MongoDB', async () => {
    const opened: ReadStore[] = [];
    const closeAll = () => Promise.all(opened.map((store) => store.close()));
    const open = async (): Promise<ReadStore> => {
      const store = await MongoReadStore.open(url, dbName);
      opened.push(store);
      return store;
    };
    return {
      store: await open(),
      reopen: async () => {
        await closeAll();
        return open();
      },
      cleanup: async () => {
        await closeAll();
        const client = await MongoClient.connect(url);
        await client.db(dbName).dropDatabase();
        await client.close();
      },
    };
  });
} else {
  // Listed as skipped, by name, at the end of the run (test/support/summary-reporter.js).
  const withoutServer = describe.skip;
  withoutServer('ReadStore contract: MongoDB (SKIPPED: set MONGODB_URL to run it against a real server)', () => {
    it('runs against a real MongoDB server', () => undefined);
  });
}
