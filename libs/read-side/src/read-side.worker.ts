import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, setThreadNice, Unavailable } from '@registry/shared-kernel';
import { LocalReadSide } from './read-side';
import type { FromReadSide, ReadSideData, ReadSideMethods, ToReadSide } from './read-side-protocol';

// The read side's thread: projections, the read store and the as-of engines run here, so that
// applying events and answering queries never holds the event loop that takes commands.
const { config } = workerData as ReadSideData;
// Commands first: a client waits for its 201, while read models may lag (minPosition waits for them).
setThreadNice(config.readSideNice);
const opened = LocalReadSide.open(config);
opened.catch(() => undefined); // reported to every call

async function asOfEngine() {
  const { asOf } = await opened;
  if (!asOf) throw new Unavailable('this read side has no as-of engines (read-only)', [{ field: 'asOf', rule: 'not-read-only' }]);
  return asOf;
}

const methods: ReadSideMethods = {
  start: async () => (await opened).start(),
  stop: async () => (await opened).stop(),
  close: async () => (await opened).close(),
  find: async (name, filter, options) => (await opened).readModels.collection(name).find(filter, options).toArray(),
  findOne: async (name, filter, options) => (await opened).readModels.collection(name).findOne(filter, options),
  countDocuments: async (name, filter) => (await opened).readModels.collection(name).countDocuments(filter),
  aggregate: async (name, pipeline) => (await opened).readModels.collection(name).aggregate(pipeline).toArray(),
  status: async () => (await opened).readModels.status(),
  waitForPosition: async (position, timeoutMs, names) => (await opened).readModels.waitForPosition(position, timeoutMs, names),
  asOf: async (method, args) => {
    const engine = await asOfEngine();
    return (engine[method] as (...args: unknown[]) => Promise<unknown>).apply(engine, args);
  },
};

parentPort!.on('message', async ({ id, method, args }: ToReadSide) => {
  let reply: FromReadSide;
  try {
    const value = await (methods[method] as (...args: unknown[]) => Promise<unknown>)(...args);
    reply = { id, value };
  } catch (error) {
    reply = { id, error: serializeError(error) };
  }
  parentPort!.postMessage(reply);
});
