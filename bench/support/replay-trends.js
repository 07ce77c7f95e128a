'use strict';
/**
 * The brute-force side of `asof.replay_trends_ms`, run by asof.bench.js in a process of its own:
 *
 *   node bench/support/replay-trends.js <events.sqlite> <date> [<date> ...]
 *
 * For each date, what answering `GET /trends?asOf=<date>` without an index costs: read the whole
 * log from the event store (readAll in batches, from position 1 to the head) and fold it. The fold
 * is libs/time-travel's brute-force reference (`replayTrendsAsOf`: keep the events that qualify
 * at the point, fold each partnership's with the domain's `evolve`, count with the trends
 * projection's `facetOf` / `trendTablesFor`), streamed: each qualifying event is folded into its
 * partnership's state as it is read, in log order, instead of being kept and sorted into effective
 * order first. The deciders make the two orders give the same state (README, "Time travel"), and
 * the bench checks the result against the API's answer; streaming keeps one state per partnership
 * in memory instead of the whole log (about 6 KB an event as objects, too much at 2.5 million).
 * The log is read again for every date. One JSON line per date on stdout:
 * `{date, events, readMs, foldMs, ms, tables}` (readMs: reading and decoding the log; foldMs: the
 * filtering, folding and counting, interleaved with it), then `{peakRssMb}`.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const READ_BATCH = 10_000;

const dist = (lib) => require(path.join(ROOT, 'dist', lib));
const elapsedMs = (since) => Number(process.hrtime.bigint() - since) / 1e6;

async function replayTrends(file, date) {
  const { SqliteEventStore } = dist('libs/event-store/src');
  const { asPartnershipEvent, evolve, initialState } = dist('libs/domain/src');
  const { asOfPoint, qualifies } = dist('libs/time-travel/src');
  const { facetOf, trendTablesFor } = dist('projections');
  const point = asOfPoint(date);
  const started = process.hrtime.bigint();
  let folding = 0n;
  let count = 0;
  const states = new Map();
  const store = await SqliteEventStore.open(file);
  try {
    for (let from = 1; ; ) {
      const batch = await store.readAll(from, READ_BATCH);
      if (batch.length === 0) break;
      const foldStarted = process.hrtime.bigint();
      for (const event of batch) {
        if (!qualifies(event, point)) continue;
        const domain = asPartnershipEvent(event);
        if (!domain) continue;
        const id = domain.data.partnershipId;
        states.set(id, evolve(states.get(id) ?? initialState, domain));
      }
      folding += process.hrtime.bigint() - foldStarted;
      count += batch.length;
      from = batch[batch.length - 1].globalPosition + 1;
    }
  } finally {
    await store.close();
  }
  const countingStarted = process.hrtime.bigint();
  const facets = [];
  for (const state of states.values()) if (state.status !== 'unknown') facets.push(facetOf(state));
  const tables = trendTablesFor(facets);
  folding += process.hrtime.bigint() - countingStarted;
  const ms = elapsedMs(started);
  const foldMs = Number(folding) / 1e6;
  return { date, events: count, readMs: ms - foldMs, foldMs, ms, tables };
}

function peakRssMb() {
  const match = fs.readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return match ? Number(match[1]) / 1024 : null;
}

async function main([file, ...dates]) {
  if (!file || dates.length === 0) throw new Error('usage: node bench/support/replay-trends.js <events.sqlite> <date> [<date> ...]');
  for (const date of dates) process.stdout.write(`${JSON.stringify(await replayTrends(file, date))}\n`);
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
