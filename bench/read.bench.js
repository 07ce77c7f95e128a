'use strict';
/**
 * Issue 3's read-side figures, on a generated registry of 10,000 partnerships (~250,000 events;
 * see support/registry-data.js for how it is made and cached). One data dir, freshly copied from
 * the cached event log, goes through four steps:
 *
 * 1. rebuild: `registry projections rebuild` (every read model, together in one pass over the
 *    log, as the CLI does) on a data dir holding only the event log. Throughput = head position of the log / the
 *    time the CLI reports for the rebuild itself; the wall time of the whole command (process
 *    start, Nest bootstrap, store opening included) is reported beside it.
 *    Beside it, the ceiling of that figure: the same projections applied to the same log with
 *    documents in plain Maps (support/projections-in-memory.js, a process of its own), so the
 *    share of the rebuild that is the projections' own work, and the share that is the store's,
 *    are measured in one run.
 * 2. restart: the built API on that data dir, whose read models are now persisted and caught up.
 *    Seconds from spawn until `GET /trends?minPosition=<head>` answers 200 (minPosition makes the
 *    answer wait until every read model has applied the head, so "caught up" is part of it).
 * 3. query latency, one client, requests back to back (no queueing behind other requests):
 *    `GET /trends`, and `GET /partnerships?theme=<the theme with most active partnerships>`
 *    (first page, default limit).
 * 4. lag: ReportFiled commands over HTTP on existing active partnerships at a fixed rate (open
 *    loop: a command is sent when it is due, whether or not earlier ones have been answered).
 *    For every LAG_SAMPLE_EVERY-th command, as soon as its 201 arrives, the bench sends
 *    `GET /partnerships/<id>?minPosition=<its X-Event-Position>` (on connections of its own, so
 *    it does not queue behind writes), which the API answers once every read model has applied
 *    that event. Lag = time from the 201's arrival to that GET's answer:
 *    how long a client that has its write acknowledged waits before every read model shows it.
 *    It is an upper bound: it includes one round trip of a cheap GET (about a millisecond here).
 *    The write's own latency is not in it (it is reported apart, as lag_write_p99_ms).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, API, API_NODE_ARGS, freePort, spawnServer, stopServer } = require('./support/processes');
const { HttpClient, percentile } = require('./support/http-client');
const { cachedEventLog, dataDirWithLog, runCli, progress } = require('./support/registry-data');

const PARTNERSHIPS = Number(process.env.BENCH_READ_PARTNERSHIPS ?? 10_000);
const SEED = Number(process.env.BENCH_READ_SEED ?? 42);
const QUERY_DURATION_S = Number(process.env.BENCH_QUERY_DURATION_S ?? 10);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 1000);
const LAG_DURATION_S = Number(process.env.BENCH_LAG_DURATION_S ?? 20);
const LAG_WARMUP_S = 3;
/** The lag over the run's last seconds is reported apart: whether the read side keeps up once a start's backlog has drained. */
const LAG_LAST_S = 10;
const LAG_SAMPLE_EVERY = Number(process.env.BENCH_LAG_SAMPLE_EVERY ?? 4);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function headPosition(dataDir) {
  const { SqliteEventStore } = require(path.join(ROOT, 'dist/libs/event-store/src'));
  const store = await SqliteEventStore.open(path.join(dataDir, 'events.sqlite'));
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

/** Step 1: the CLI's rebuild of every read model. */
async function rebuild(dataDir) {
  const started = process.hrtime.bigint();
  const heartbeat = setInterval(() => progress(`  ${seconds(started).toFixed(0)} s, rebuilding`), 15_000);
  const output = await runCli(['projections', 'rebuild'], {
    dataDir,
    stdout: 'pipe',
    onLine: (line) => progress(`  rebuild: ${line}`),
  }).finally(() => clearInterval(heartbeat));
  const wall = seconds(started);
  const reported = output.map((line) => line.match(/^rebuilt .* in ([\d.]+) s$/)).find(Boolean);
  if (!reported) throw new Error(`rebuild: no "rebuilt ... in N s" line in its output: ${output.join(' | ')}`);
  return { seconds: Number(reported[1]), wall };
}

/** Step 1's ceiling: every projection over the log with documents in Maps (see the header). */
function projectionsInMemory(dataDir) {
  return new Promise((resolve, reject) => {
    const script = path.join(__dirname, 'support/projections-in-memory.js');
    const child = spawn(process.execPath, [script, path.join(dataDir, 'events.sqlite')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    process.on('exit', () => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`projections-in-memory.js ended with ${signal ?? `code ${code}`}`)),
    );
  });
}

/** Step 2: spawn to the first 200 of GET /trends?minPosition=head. */
async function restart(dataDir, head) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const api = spawnServer(API, { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn' }, API_NODE_ARGS);
  const client = new HttpClient(base);
  for (;;) {
    if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode}`);
    if (seconds(started) > 120) throw new Error('the API did not serve /trends within 120 s');
    try {
      const response = await client.get(`/trends?minPosition=${head}`);
      if (response.status === 200) break;
      progress(`  GET /trends?minPosition=${head}: ${response.status}, again`);
    } catch {
      await sleep(10); // not listening yet
    }
  }
  return { api, base, client, seconds: seconds(started) };
}

/** Waits until an as-of query has seen the head (503 while the index builds, then it waits on minPosition). */
async function asOfIndexReady(client, head) {
  const started = process.hrtime.bigint();
  for (;;) {
    const response = await client.get(`/trends?asOf=2010-02-01&minPosition=${head}`);
    if (response.status === 200) break;
    if (seconds(started) > 900) throw new Error(`the as-of index was not ready within 900 s (last answer ${response.status})`);
  }
  progress(`as-of index ready ${seconds(started).toFixed(2)} s later; measuring queries on an API at rest`);
}

/** Step 3: one client, back to back, after a one-second warm-up. */
async function queryLatencies(client, path) {
  const run = async (durationS) => {
    const latencies = [];
    const started = process.hrtime.bigint();
    while (seconds(started) < durationS) {
      const response = await client.get(path);
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body.slice(0, 300)}`);
      latencies.push(response.ms);
    }
    return latencies;
  };
  await run(1);
  const latencies = await run(QUERY_DURATION_S);
  progress(`  GET ${path}: ${latencies.length} requests in ${QUERY_DURATION_S} s`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function activePartnershipIds(client, count) {
  const ids = [];
  let cursor;
  while (ids.length < count) {
    const response = await client.get(`/partnerships?status=active&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (response.status !== 200) throw new Error(`GET /partnerships?status=active: ${response.status}`);
    const page = JSON.parse(response.body);
    ids.push(...page.items.map((item) => item.id ?? item._id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  if (ids.length === 0) throw new Error('no active partnership to file reports on');
  return ids;
}

/** Step 4: fixed-rate ReportFiled commands; see the header comment for what "lag" is. */
async function lagUnderLoad(base, ids) {
  // Two clients: the reads must not queue behind writes waiting for a socket in the same agent.
  const client = new HttpClient(base);
  const reader = new HttpClient(base);
  const { TokenService } = require(path.join(ROOT, 'dist/libs/auth/src'));
  const headers = {
    authorization: `Bearer ${new TokenService(SECRET).mint({ id: 'bench', role: 'secretariat' })}`,
    'content-type': 'application/json',
  };
  const today = new Date().toISOString().slice(0, 10);
  const body = JSON.stringify({
    period: { from: '2025-01-01', to: today },
    summary: 'Progress in the period: workshops held, guidance published',
    activities: ['capacity-building', 'publications'],
  });
  const total = Math.round(LAG_RATE * (LAG_WARMUP_S + LAG_DURATION_S));
  const measuredFrom = Math.round(LAG_RATE * LAG_WARMUP_S);
  const lags = [];
  /** [seconds since the start, lag ms] of each measured sample, for the lag over the run's last part. */
  const timedLags = [];
  const writes = [];
  const failures = [];
  let timeouts = 0;
  let completed = 0;
  let firstMeasuredAt;
  let lastMeasuredAt;
  const inFlight = new Set();

  const send = async (i) => {
    const id = ids[i % ids.length];
    const write = await client.request('POST', `/partnerships/${id}/reports`, { headers, body });
    if (write.status !== 201) return failures.push(`POST ${id}/reports: ${write.status} ${write.body.slice(0, 200)}`);
    const measured = i >= measuredFrom;
    if (measured) {
      writes.push(write.ms);
      lastMeasuredAt = write.at;
    }
    completed++;
    if (i % LAG_SAMPLE_EVERY !== 0) return;
    const read = await reader.get(`/partnerships/${id}?minPosition=${write.headers['x-event-position']}`);
    if (read.status === 504) timeouts++;
    else if (read.status !== 200) return failures.push(`GET ${id}?minPosition: ${read.status} ${read.body.slice(0, 200)}`);
    if (measured) {
      lags.push(Number(read.at - write.at) / 1e6);
      timedLags.push([Number(write.at - started) / 1e9, Number(read.at - write.at) / 1e6]);
    }
  };

  const started = process.hrtime.bigint();
  let sent = 0;
  let nextReport = 5;
  while (sent < total) {
    const due = Math.min(total, Math.floor(seconds(started) * LAG_RATE));
    for (; sent < due; sent++) {
      if (sent === measuredFrom) firstMeasuredAt = process.hrtime.bigint();
      const promise = send(sent).catch((error) => failures.push(String(error)));
      inFlight.add(promise);
      promise.finally(() => inFlight.delete(promise));
    }
    if (seconds(started) >= nextReport) {
      const soFar = lags.length > 0 ? `lag p50 so far ${percentile(lags, 50).toFixed(1)} ms` : 'warming up';
      progress(`  lag: ${nextReport} s, ${sent} sent, ${completed} acknowledged, ${inFlight.size} in flight, ${soFar}`);
      nextReport += 5;
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  client.close();
  reader.close();
  if (failures.length > 0) throw new Error(`lag bench: ${failures.length} failures, first: ${failures[0]}`);
  if (timeouts > 0) progress(`  lag: WARNING ${timeouts} reads answered 504 (read models more than MIN_POSITION_WAIT_MS behind)`);
  const window = Number(lastMeasuredAt - firstMeasuredAt) / 1e9;
  return {
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    lastP99: percentile(timedLags.filter(([at]) => at >= LAG_WARMUP_S + LAG_DURATION_S - LAG_LAST_S).map(([, lag]) => lag), 99),
    samples: lags.length,
    rate: writes.length / window,
    writeP99: percentile(writes, 99),
  };
}

async function benchRead(figures) {
  console.log(
    `read: ${PARTNERSHIPS} generated partnerships (seed ${SEED}); queries ${QUERY_DURATION_S} s each, one client; ` +
      `lag at ${LAG_RATE} commands/s for ${LAG_DURATION_S} s, every ${LAG_SAMPLE_EVERY}th sampled`,
  );
  const benchStarted = process.hrtime.bigint();
  const logDir = await cachedEventLog({ partnerships: PARTNERSHIPS, seed: SEED });
  const dataDir = dataDirWithLog(logDir, 'read');
  let server;
  try {
    const head = await headPosition(dataDir);
    progress(`rebuilding every read model from ${head} events (registry projections rebuild)`);
    const rebuilt = await rebuild(dataDir);
    progress(`rebuilt in ${rebuilt.seconds} s (CLI's figure), ${rebuilt.wall.toFixed(1)} s from spawn to exit`);
    figures.add('read.log_events', head, 'events');
    figures.add('read.rebuild_events_per_s', head / rebuilt.seconds, 'events/s', '>= 50000');
    figures.add('read.rebuild_wall_s', rebuilt.wall, 's');
    progress('the same projections over the same log with documents in Maps (no store)');
    const inMemory = await projectionsInMemory(dataDir);
    const perProjection = Object.entries(inMemory.perProjectionMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
    progress(`  applied ${inMemory.events} events in ${(inMemory.applyMs / 1000).toFixed(1)} s (${perProjection.join(', ')}); reading the log ${(inMemory.readMs / 1000).toFixed(1)} s`);
    figures.add('read.rebuild_projections_only_events_per_s', inMemory.events / (inMemory.applyMs / 1000), 'events/s');

    progress('starting the API on the rebuilt data dir');
    server = await restart(dataDir, head);
    progress(`serving /trends, caught up, ${server.seconds.toFixed(2)} s after spawn`);
    figures.add('read.restart_to_serving_s', server.seconds, 's');
    // A CLI rebuild leaves no as-of index, so the API is building one now (in 20 ms slices between
    // requests); the latencies below are of an API at rest, so wait for it.
    await asOfIndexReady(server.client, head);

    const trends = JSON.parse((await server.client.get('/trends')).body);
    const [theme, count] = Object.entries(trends.themes.any).sort((a, b) => b[1] - a[1])[0];
    progress(`query latencies (most common theme: ${theme}, ${count} active partnerships)`);
    const trendsLatency = await queryLatencies(server.client, '/trends');
    const listLatency = await queryLatencies(server.client, `/partnerships?theme=${theme}`);
    figures.add('read.trends_p50_ms', trendsLatency.p50, 'ms');
    figures.add('read.trends_p99_ms', trendsLatency.p99, 'ms');
    figures.add('read.list_p50_ms', listLatency.p50, 'ms');
    figures.add('read.list_p99_ms', listLatency.p99, 'ms');

    const ids = await activePartnershipIds(server.client, 2000);
    progress(`lag: ${LAG_RATE} ReportFiled/s on ${ids.length} active partnerships, ${LAG_WARMUP_S} s warm-up + ${LAG_DURATION_S} s`);
    const lag = await lagUnderLoad(server.base, ids);
    progress(`lag: ${lag.samples} samples, ${lag.rate.toFixed(0)} commands/s acknowledged`);
    if (lag.rate < 0.95 * LAG_RATE) {
      progress(`lag: WARNING the API acknowledged ${lag.rate.toFixed(0)} commands/s, not the ${LAG_RATE} sent: it fell behind, so the figures include queueing`);
    }
    figures.add('read.lag_p50_ms', lag.p50, 'ms');
    figures.add('read.lag_p99_ms', lag.p99, 'ms', '<= 100');
    figures.add('read.lag_last_10s_p99_ms', lag.lastP99, 'ms');
    figures.add('read.lag_commands_per_s', lag.rate, 'commands/s');
    figures.add('read.lag_write_p99_ms', lag.writeP99, 'ms');
  } finally {
    server?.client.close();
    if (server) await stopServer(server.api);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  progress(`read bench done in ${seconds(benchStarted).toFixed(0)} s`);
}

module.exports = { benchRead };
