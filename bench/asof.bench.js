'use strict';
/**
 * Issue 4's time-travel figures (acceptance 3), on a generated registry of 100,000 partnerships
 * (~2.5 million events; BENCH_ASOF_PARTNERSHIPS changes it; the event log is made and cached by
 * support/registry-data.js, shared with the read group when the parameters match). One data dir,
 * freshly copied from the cached log (the log only: no read models, no as-of index), goes through:
 *
 * 1. start: the built API on that data dir. It rebuilds its read models and builds its as-of
 *    index from the log at start-up (README, "Time travel"). Timed from spawn: listening; the
 *    as-of index ready (the first `GET /trends?asOf=` that is not a 503); everything caught up
 *    (`GET /trends?asOf=…&minPosition=<head>`, which waits for the engines and every read model).
 * 2. latency, one client, requests back to back after a one-second warm-up (so the projectors are
 *    idle and nothing queues): `GET /trends?asOf=<random date>` and
 *    `GET /partnerships/<random generated id>?asOf=<random date>`, dates uniform over the days
 *    from 2002-01-01 to today (seeded). A partnership not yet registered at its date is a 404,
 *    which is a real answer and counted (its share is printed).
 * 3. memory: the API's peak RSS (VmHWM of /proc/<pid>/status, which the kernel keeps), also
 *    polled (VmRSS) throughout, so a run that grows past BENCH_ASOF_MAX_RSS_MB is stopped with
 *    the stage it was in rather than left to exhaust the machine.
 * 4. restart: the API stopped (it persists its index on the way) and started again on the same
 *    data dir; seconds from spawn to the first as-of answer, the index loaded from its snapshot.
 * 5. replay: the same trends question for a few of the random dates answered by brute force in a
 *    separate process (support/replay-trends.js: read the whole log from the event store and fold
 *    it as libs/time-travel's reference `replayTrendsAsOf` does, streamed), compared table by table
 *    with the API's answers for those dates.
 *    `asof.replay_trends_ms` is its mean time per date; `asof.speedup_vs_replay` is that over the
 *    indexed trends p50.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const readline = require('node:readline');
const { ROOT, API, API_NODE_ARGS, freePort, spawnServer, stopServer } = require('./support/processes');
const { HttpClient, percentile } = require('./support/http-client');
const { cachedEventLog, dataDirWithLog } = require('./support/registry-data');

const PARTNERSHIPS = Number(process.env.BENCH_ASOF_PARTNERSHIPS ?? 100_000);
const SEED = Number(process.env.BENCH_ASOF_SEED ?? 42);
const QUERY_DURATION_S = Number(process.env.BENCH_QUERY_DURATION_S ?? 10);
const REPLAY_DATES = Number(process.env.BENCH_ASOF_REPLAY_DATES ?? 3);
const MAX_RSS_MB = Number(process.env.BENCH_ASOF_MAX_RSS_MB ?? 12_288);
const START_TIMEOUT_S = Number(process.env.BENCH_ASOF_START_TIMEOUT_S ?? 3600);
const FIRST_DATE = Date.UTC(2002, 0, 1);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const REPLAY = path.join(__dirname, 'support/replay-trends.js');

const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (message) => process.stderr.write(`[asof] ${message}\n`);

/** Seeded uniform [0, 1) (mulberry32), so every run asks the same dates of the same ids. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A day from 2002-01-01 to today (UTC), uniformly, as YYYY-MM-DD. */
function randomDate(next) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const days = Math.round((today - FIRST_DATE) / 86_400_000);
  return new Date(FIRST_DATE + Math.floor(next() * (days + 1)) * 86_400_000).toISOString().slice(0, 10);
}

async function headPosition(dataDir) {
  const { SqliteEventStore } = require(path.join(ROOT, 'dist/libs/event-store/src'));
  const store = await SqliteEventStore.open(path.join(dataDir, 'events.sqlite'));
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

/** VmRSS and VmHWM (peak) of a process, in MB; null once it is gone. */
function memoryOf(pid) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * The API on `dataDir`, watched: its RSS is polled every 250 ms; past MAX_RSS_MB it is killed and
 * `failure` says at which stage (set `stage` as the bench goes).
 */
async function startApi(dataDir, label) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawned = process.hrtime.bigint();
  // MIN_POSITION_WAIT_MS: an as-of probe during the index build waits this long before its 503
  // (which the API logs with a stack trace), so the wait polls every 30 s, not every 5 s.
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn', MIN_POSITION_WAIT_MS: '30000' };
  const child = spawnServer(API, env, API_NODE_ARGS);
  const api = { child, base, spawned, label, stage: 'starting (not answering yet)', peakMb: 0, failure: null, client: new HttpClient(base) };
  api.watch = setInterval(() => {
    const memory = memoryOf(child.pid);
    if (!memory) return;
    api.peakMb = Math.max(api.peakMb, memory.peakMb, memory.rssMb);
    if (memory.rssMb > MAX_RSS_MB && !api.failure) {
      api.failure = new Error(`the ${label} API's RSS reached ${memory.rssMb.toFixed(0)} MB (limit BENCH_ASOF_MAX_RSS_MB=${MAX_RSS_MB}) while ${api.stage}, ${seconds(spawned).toFixed(0)} s after spawn; killed`);
      progress(api.failure.message);
      child.kill('SIGKILL');
    }
  }, 250);
  return api;
}

function check(api) {
  if (api.failure) throw api.failure;
  if (api.child.exitCode !== null || api.child.signalCode !== null) throw new Error(`the ${api.label} API exited (${api.child.signalCode ?? `code ${api.child.exitCode}`}) while ${api.stage}`);
}

/** The peak RSS so far (VmHWM while the process lives). */
function peakOf(api) {
  const memory = memoryOf(api.child.pid);
  if (memory) api.peakMb = Math.max(api.peakMb, memory.peakMb);
  return api.peakMb;
}

async function stopApi(api) {
  clearInterval(api.watch);
  api.client.close();
  await stopServer(api.child);
}

/** A GET that answers anything (null while the API is not listening yet). */
async function tryGet(api, url, headers = {}) {
  try {
    return await api.client.get(url, { headers });
  } catch {
    return null;
  }
}

/**
 * Step 1 (and 4): polls until the API listens, the as-of index answers, and (with `head`) the
 * engines and every read model have applied the head. Returns seconds from spawn to each.
 */
async function waitUntilCaughtUp(api, head, adminHeaders) {
  const times = {};
  const probe = `/trends?asOf=2010-02-01`;
  let nextReport = 15;
  for (;;) {
    check(api);
    const elapsed = seconds(api.spawned);
    if (elapsed > START_TIMEOUT_S) throw new Error(`the ${api.label} API was not caught up ${START_TIMEOUT_S} s after spawn (BENCH_ASOF_START_TIMEOUT_S), while ${api.stage}`);
    if (elapsed >= nextReport) {
      nextReport += 15;
      const status = await tryGet(api, '/admin/projections', adminHeaders);
      const positions = status?.status === 200 ? JSON.parse(status.body).map((p) => `${p.name} ${p.position}`).join(', ') : 'not answering';
      progress(`  ${elapsed.toFixed(0)} s: ${api.stage}; RSS ${memoryOf(api.child.pid)?.rssMb.toFixed(0)} MB; read models at ${positions} of ${head}`);
    }
    if (times.listening === undefined) {
      const response = await tryGet(api, '/sessions');
      if (!response) {
        await sleep(50);
        continue;
      }
      times.listening = seconds(api.spawned);
      api.stage = 'building the as-of index and the read models';
      progress(`  listening ${times.listening.toFixed(2)} s after spawn`);
    }
    if (times.indexReady === undefined) {
      // Waits up to MIN_POSITION_WAIT_MS, then a 503 while the index is being built.
      const response = await tryGet(api, probe);
      if (response?.status === 200) {
        times.indexReady = seconds(api.spawned);
        api.stage = 'catching up';
        progress(`  as-of index ready ${times.indexReady.toFixed(2)} s after spawn (applied up to ${JSON.parse(response.body).position})`);
      } else {
        if (response && response.status !== 503) throw new Error(`GET ${probe}: ${response.status} ${response.body.slice(0, 300)}`);
        await sleep(200);
        continue;
      }
    }
    // Both the engines and every read model at the head (waits up to MIN_POSITION_WAIT_MS, then 504).
    const response = await tryGet(api, `${probe}&minPosition=${head}`);
    if (response?.status === 200) {
      times.caughtUp = seconds(api.spawned);
      progress(`  caught up with ${head} events ${times.caughtUp.toFixed(2)} s after spawn; RSS ${memoryOf(api.child.pid)?.rssMb.toFixed(0)} MB`);
      return times;
    }
    if (response && response.status !== 504 && response.status !== 503) throw new Error(`GET ${probe}&minPosition=${head}: ${response.status} ${response.body.slice(0, 300)}`);
    await sleep(200);
  }
}

/** Step 2: one client, back to back; `nextPath()` gives each request's path. */
async function latencies(api, label, nextPath, okStatuses = [200]) {
  const statuses = new Map();
  const run = async (durationS, record) => {
    const samples = [];
    const started = process.hrtime.bigint();
    while (seconds(started) < durationS) {
      const url = nextPath();
      const response = await api.client.get(url);
      if (!okStatuses.includes(response.status)) throw new Error(`GET ${url}: ${response.status} ${response.body.slice(0, 300)}`);
      samples.push(response.ms);
      if (record) statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    return samples;
  };
  check(api);
  await run(1, false);
  const samples = await run(QUERY_DURATION_S, true);
  check(api);
  const answered = [...statuses].map(([status, count]) => `${count} × ${status}`).join(', ');
  progress(`  ${label}: ${samples.length} requests in ${QUERY_DURATION_S} s (${answered}); p50 ${percentile(samples, 50).toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms, max ${Math.max(...samples).toFixed(1)} ms`);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Step 5: the brute-force replay, in its own process; resolves its JSON lines. */
function replay(dataDir, dates) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REPLAY, path.join(dataDir, 'events.sqlite'), ...dates], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.on('exit', () => child.kill('SIGKILL'));
    const results = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const result = JSON.parse(line);
      if (result.date) progress(`  replay as of ${result.date}: ${result.ms.toFixed(0)} ms for ${result.events} events (reading ${result.readMs.toFixed(0)} ms, folding ${result.foldMs.toFixed(0)} ms)`);
      results.push(result);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve(results) : reject(new Error(`replay-trends.js ended with ${signal ?? `code ${code}`}`))));
  });
}

/** The API's as-of answer without its echo (asOf, knownAt, session, position), to compare with a replay's tables. */
function tablesOf(answer, replayed) {
  return Object.fromEntries(Object.keys(replayed).map((key) => [key, answer[key]]));
}

async function benchAsOf(figures) {
  console.log(
    `asof: ${PARTNERSHIPS} generated partnerships (seed ${SEED}); queries ${QUERY_DURATION_S} s each, one client, random dates 2002-01-01..today; ` +
      `replay on ${REPLAY_DATES} of the dates`,
  );
  const benchStarted = process.hrtime.bigint();
  const logDir = await cachedEventLog({ partnerships: PARTNERSHIPS, seed: SEED, log: progress });
  const dataDir = dataDirWithLog(logDir, 'asof');
  const { TokenService } = require(path.join(ROOT, 'dist/libs/auth/src'));
  const { partnershipId } = require(path.join(ROOT, 'dist/libs/generator/src'));
  // GET /admin/projections (progress while catching up) wants a token, of any role.
  const adminHeaders = { authorization: `Bearer ${new TokenService(SECRET).mint({ id: 'bench', role: 'analyst' })}` };
  const next = random(SEED);
  let api;
  try {
    const head = await headPosition(dataDir);
    figures.add('asof.log_events', head, 'events');

    progress(`starting the API on a data dir holding only the log (${head} events); it rebuilds its read models and builds its as-of index`);
    api = await startApi(dataDir, 'first');
    const started = await waitUntilCaughtUp(api, head, adminHeaders);
    figures.add('asof.listening_s', started.listening, 's');
    figures.add('asof.index_ready_s', started.indexReady, 's');
    figures.add('asof.caught_up_s', started.caughtUp, 's');

    api.stage = 'measuring GET /trends?asOf=';
    const replayDates = [];
    const trends = await latencies(api, 'GET /trends?asOf=<random date>', () => {
      const date = randomDate(next);
      if (replayDates.length < REPLAY_DATES) replayDates.push(date);
      return `/trends?asOf=${date}`;
    });
    figures.add('asof.trends_p50_ms', trends.p50, 'ms', '<= 50');
    figures.add('asof.trends_p99_ms', trends.p99, 'ms', '<= 200');

    api.stage = 'measuring GET /partnerships/:id?asOf=';
    const partnership = await latencies(
      api,
      'GET /partnerships/<random id>?asOf=<random date>',
      () => `/partnerships/${partnershipId(Math.floor(next() * PARTNERSHIPS))}?asOf=${randomDate(next)}`,
      [200, 404],
    );
    figures.add('asof.partnership_p50_ms', partnership.p50, 'ms', '<= 5');
    figures.add('asof.partnership_p99_ms', partnership.p99, 'ms');

    api.stage = 'answering the replay dates';
    const answers = new Map();
    for (const date of replayDates) answers.set(date, JSON.parse((await api.client.get(`/trends?asOf=${date}`)).body));
    let peakMb = peakOf(api);
    progress(`API peak RSS ${peakMb.toFixed(0)} MB; stopping it (it persists its as-of index)`);
    await stopApi(api);
    const snapshot = path.join(dataDir, 'time-travel-index.snapshot');
    if (fs.existsSync(snapshot)) progress(`  index snapshot: ${(fs.statSync(snapshot).size / 1048576).toFixed(1)} MB`);

    progress('restarting the API on the same data dir (read models persisted, index from its snapshot)');
    api = await startApi(dataDir, 'restarted');
    const restarted = await waitUntilCaughtUp(api, head, adminHeaders);
    figures.add('asof.restart_index_ready_s', restarted.indexReady, 's');
    peakMb = Math.max(peakMb, peakOf(api));
    await stopApi(api);
    api = undefined;
    figures.add('asof.api_rss_mb', peakMb, 'MB');

    progress(`brute-force replay of GET /trends?asOf= for ${replayDates.join(', ')} (whole log read and folded for each)`);
    const replayed = await replay(dataDir, replayDates);
    const runs = replayed.filter((result) => result.date);
    for (const run of runs) {
      if (!isDeepStrictEqual(tablesOf(answers.get(run.date), run.tables), run.tables)) {
        throw new Error(`GET /trends?asOf=${run.date} differs from the brute-force replay: ${JSON.stringify(tablesOf(answers.get(run.date), run.tables)).slice(0, 300)} vs ${JSON.stringify(run.tables).slice(0, 300)}`);
      }
    }
    const replayMs = runs.reduce((sum, run) => sum + run.ms, 0) / runs.length;
    const foldMs = runs.reduce((sum, run) => sum + run.foldMs, 0) / runs.length;
    progress(`  the API's answers equal the replay's for every date; replay mean ${replayMs.toFixed(0)} ms (fold alone ${foldMs.toFixed(0)} ms), peak RSS ${replayed.at(-1).peakRssMb?.toFixed(0)} MB`);
    figures.add('asof.replay_trends_ms', replayMs, 'ms');
    figures.add('asof.speedup_vs_replay', replayMs / trends.p50, 'x');
  } finally {
    if (api) await stopApi(api);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  progress(`asof bench done in ${seconds(benchStarted).toFixed(0)} s`);
}

module.exports = { benchAsOf };
