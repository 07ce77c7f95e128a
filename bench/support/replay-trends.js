'use strict';
/**
 * The brute-force side of `asof.replay_trends_ms`, run by asof.bench.js in a process of its own
 * (the whole log in memory does not belong in the bench's heap, nor in the API's):
 *
 *   node bench/support/replay-trends.js <events.sqlite> <date> [<date> ...]
 *
 * For each date, what answering `GET /trends?asOf=<date>` without an index costs: read the whole
 * log from the event store (readAll in batches, from position 1 to the head), then fold it with
 * libs/time-travel's brute-force reference `replayTrendsAsOf` (filter by the point, fold each
 * stream in effective order with the domain's `evolve`, count with the trends projection's code).
 * The log is read again for every date. One JSON line per date on stdout:
 * `{date, events, readMs, foldMs, ms, tables}`, then `{peakRssMb}`.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const READ_BATCH = 10_000;

const elapsedMs = (since) => Number(process.hrtime.bigint() - since) / 1e6;

async function readLog(file) {
  const { SqliteEventStore } = require(path.join(ROOT, 'dist/libs/event-store/src'));
  const store = await SqliteEventStore.open(file);
  try {
    const events = [];
    for (let from = 1; ; ) {
      const batch = await store.readAll(from, READ_BATCH);
      if (batch.length === 0) return events;
      for (const event of batch) events.push(event);
      from = batch[batch.length - 1].globalPosition + 1;
    }
  } finally {
    await store.close();
  }
}

function peakRssMb() {
  const match = fs.readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return match ? Number(match[1]) / 1024 : null;
}

async function main([file, ...dates]) {
  if (!file || dates.length === 0) throw new Error('usage: node bench/support/replay-trends.js <events.sqlite> <date> [<date> ...]');
  const { replayTrendsAsOf, asOfPoint } = require(path.join(ROOT, 'dist/libs/time-travel/src'));
  for (const date of dates) {
    const started = process.hrtime.bigint();
    let events = await readLog(file);
    const readMs = elapsedMs(started);
    const folding = process.hrtime.bigint();
    const tables = replayTrendsAsOf(events, asOfPoint(date));
    const foldMs = elapsedMs(folding);
    const count = events.length;
    events = null;
    process.stdout.write(`${JSON.stringify({ date, events: count, readMs, foldMs, ms: elapsedMs(started), tables })}\n`);
  }
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
