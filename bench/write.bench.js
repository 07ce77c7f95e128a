'use strict';
/**
 * Issue 2's figures: durable commands per second over HTTP (ReportFiled on existing partnerships,
 * with auth and validation, 64 concurrent clients) beside a bare Node HTTP server measured in the
 * same run, and the store's batched append rate on its own. A third server, the API's pipeline
 * alone (Nest on Fastify, auth guard, class-validator; no command executed), says how much of the
 * gap to the bare server is the HTTP stack and how much the event-sourced work.
 */
const path = require('node:path');
const autocannon = require('autocannon');
const { ROOT, API, API_NODE_ARGS, freePort, tempDataDir, startServer, stopServer } = require('./support/processes');

const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PARTNERSHIPS = 500;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

function load(url, options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    autocannon.track(instance, { renderProgressBar: Boolean(process.stderr.isTTY), renderResultsTable: false, renderLatencyTable: false });
  });
}

function registration(i) {
  return {
    id: `bench-${i}`,
    name: `Bench partnership ${i}`,
    themes: { primary: ['chemicals'], secondary: ['waste-management'] },
    scope: 'global',
    startDate: '2005-01-01',
    effectiveDate: '2005-01-01',
    partners: [
      { orgId: `lead-${i}`, name: `Lead ${i}`, type: 'un-system', lead: true },
      { orgId: `ngo-${i % 50}`, name: `NGO ${i % 50}`, type: 'ngo' },
    ],
  };
}

const REPORT = JSON.stringify({
  period: { from: '2009-01-01', to: '2009-12-31' },
  summary: 'Progress in the period: workshops held, guidance published',
  activities: ['capacity-building', 'publications'],
});

function benchAuthorization() {
  const { TokenService } = require(path.join(ROOT, 'dist/libs/auth/src'));
  return `Bearer ${new TokenService(SECRET).mint({ id: 'bench', role: 'secretariat' })}`;
}

async function benchHttpWrites(authorization) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = await startServer(
    API,
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDataDir('write'), JWT_SECRET: SECRET, LOG_LEVEL: 'warn' },
    `${base}/openapi.json`,
    API_NODE_ARGS,
  );
  const headers = { authorization, 'content-type': 'application/json' };
  for (let i = 0; i < PARTNERSHIPS; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, async (_, k) => {
        const response = await fetch(`${base}/partnerships`, { method: 'POST', headers, body: JSON.stringify(registration(i + k)) });
        if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
      }),
    );
  }
  const reports = {
    method: 'POST',
    headers,
    body: REPORT,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/partnerships/bench-${Math.floor(Math.random() * PARTNERSHIPS)}/reports` }) }],
  };
  await load(base, { ...reports, duration: 2 }); // warm-up: JIT, caches
  const result = await load(base, reports);
  await stopServer(api);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`write bench: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

async function benchBareHttp() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bare = await startServer(path.join(__dirname, 'support/bare-http-server.js'), { PORT: String(port) }, base);
  const result = await load(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: REPORT });
  await stopServer(bare);
  return result;
}

/** The same reports to the API's pipeline without a command behind it (support/pipeline-server.js). */
async function benchPipelineHttp(authorization) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // With the API's node options: it stands for the API's HTTP stack.
  const pipeline = await startServer(path.join(__dirname, 'support/pipeline-server.js'), { PORT: String(port), JWT_SECRET: SECRET }, base, API_NODE_ARGS);
  const result = await load(base, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: REPORT,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/partnerships/bench-${Math.floor(Math.random() * PARTNERSHIPS)}/reports` }) }],
  });
  await stopServer(pipeline);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`pipeline bench: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

/** Single-event appends from many concurrent callers: what group commit achieves. */
async function benchStoreBatched() {
  const { SqliteEventStore } = require(path.join(ROOT, 'dist/libs/event-store/src'));
  const store = await SqliteEventStore.open(path.join(tempDataDir('store'), 'events.sqlite'));
  const total = 100_000;
  const inFlight = 512;
  const event = (i) => ({
    type: 'ReportFiled',
    schemaVersion: 1,
    data: { partnershipId: `s-${i % 1000}`, reportId: `r-${i}`, summary: 'x'.repeat(100) },
    metadata: { actor: { id: 'bench', role: 'secretariat' }, effectiveAt: new Date().toISOString(), correlationId: `c-${i}`, causationId: `c-${i}` },
  });
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next++;
        await store.append(`s-${i % 1000}`, [event(i)], 'any');
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  return total / seconds;
}

async function benchWrite(figures) {
  console.log(`write: ${CONNECTIONS} clients, ${DURATION_S} s per server, ReportFiled on ${PARTNERSHIPS} partnerships`);
  const authorization = benchAuthorization();
  const api = await benchHttpWrites(authorization);
  const pipeline = await benchPipelineHttp(authorization);
  const bare = await benchBareHttp();
  const storeRate = await benchStoreBatched();
  const apiRate = api['2xx'] / DURATION_S;
  const bareRate = bare['2xx'] / DURATION_S;
  const pipelineRate = pipeline['2xx'] / DURATION_S;
  figures.add('write.http_commands_per_s', apiRate, 'commands/s', '>= 5000');
  figures.add('write.http_p50_ms', api.latency.p50, 'ms');
  figures.add('write.http_p99_ms', api.latency.p99, 'ms', '<= 50');
  figures.add('write.bare_http_requests_per_s', bareRate, 'requests/s');
  figures.add('write.bare_http_p50_ms', bare.latency.p50, 'ms');
  figures.add('write.bare_http_p99_ms', bare.latency.p99, 'ms');
  figures.add('write.ratio_to_bare_http', apiRate / bareRate, 'ratio');
  figures.add('write.pipeline_http_requests_per_s', pipelineRate, 'requests/s');
  figures.add('write.pipeline_http_p99_ms', pipeline.latency.p99, 'ms');
  figures.add('write.ratio_to_pipeline_http', apiRate / pipelineRate, 'ratio');
  figures.add('write.store_batched_events_per_s', storeRate, 'events/s');
}

module.exports = { benchWrite };
