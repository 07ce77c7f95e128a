'use strict';
/**
 * The ceiling of `read.rebuild_events_per_s`, run by read.bench.js in a process of its own:
 *
 *   node bench/support/projections-in-memory.js <events.sqlite>
 *
 * Applies every read model's projection (the same list, with the same default compliance policy,
 * as `registry projections rebuild`) to the whole log, with documents in plain Maps: `get` hands
 * back the object `put` stored, with no copy, no JSON, no index and no file. What is left is the
 * projections' own work (folding states, diffing, counting) and the garbage collector's, which
 * a rebuild through any read store can only add to. The log is read in batches, each applied by
 * every projection in turn, as the runtime does; reading it is timed apart. One JSON line on
 * stdout: `{events, readMs, applyMs, perProjectionMs, peakRssMb}`.
 */
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const READ_BATCH = 10_000;

const dist = (lib) => require(path.join(ROOT, 'dist', lib));
const elapsedMs = (since) => Number(process.hrtime.bigint() - since) / 1e6;

/** `ProjectionDocuments` with no copies: the runtime's hand-over contract, minus the store. */
function mapDocuments() {
  const collections = new Map();
  const collection = (name) => {
    let documents = collections.get(name);
    if (!documents) collections.set(name, (documents = new Map()));
    return documents;
  };
  return {
    get: async (name, id) => collection(name).get(id) ?? null,
    put: (name, document) => void collection(name).set(document._id, document),
    delete: (name, id) => void collection(name).delete(id),
  };
}

async function main(file) {
  const { SqliteEventStore } = dist('libs/event-store/src');
  const { allProjections } = dist('projections');
  const projections = allProjections();
  const documents = mapDocuments();
  const perProjection = Object.fromEntries(projections.map(({ name }) => [name, 0]));
  let readMs = 0;
  let events = 0;
  const store = await SqliteEventStore.open(file);
  try {
    for (let from = 1; ; ) {
      const readStarted = process.hrtime.bigint();
      const batch = await store.readAll(from, READ_BATCH);
      readMs += elapsedMs(readStarted);
      if (batch.length === 0) break;
      for (const projection of projections) {
        const started = process.hrtime.bigint();
        for (const event of batch) await projection.apply(event, documents);
        perProjection[projection.name] += elapsedMs(started);
      }
      events += batch.length;
      from = batch[batch.length - 1].globalPosition + 1;
    }
  } finally {
    await store.close();
  }
  const applyMs = Object.values(perProjection).reduce((sum, ms) => sum + ms, 0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ events, readMs, applyMs, perProjectionMs: perProjection, peakRssMb }));
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
