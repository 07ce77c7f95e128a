'use strict';
/** Starting and stopping the servers a bench measures, each in its own process. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const API = path.join(ROOT, 'dist/apps/api/src/main.js');

/**
 * The node options `npm start` gives the API (package.json's start script), so that the benches
 * measure the service as users run it.
 */
const API_NODE_ARGS = (() => {
  const start = require(path.join(ROOT, 'package.json')).scripts.start;
  const match = /^node((?: --\S+)*) dist\/apps\/api\/src\/main\.js$/.exec(start);
  if (!match) throw new Error(`package.json's start script is not "node [--options] dist/apps/api/src/main.js": ${start}`);
  return match[1].split(' ').filter(Boolean);
})();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tempDataDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `registry-bench-${label}-`));
}

/** Spawns `node [nodeArgs] script` (stderr shared with the bench); the child dies with the bench. */
function spawnServer(script, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return child;
}

/** Spawns `node [nodeArgs] script` and resolves once `url` answers; the child dies with the bench. */
async function startServer(script, env, url, nodeArgs = []) {
  const child = spawnServer(script, env, nodeArgs);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with code ${child.exitCode}`);
    try {
      await fetch(url);
      return child;
    } catch {
      if (Date.now() > deadline) throw new Error(`${script} did not answer ${url} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** SIGTERM, then wait (polling, so the wait itself keeps the bench alive) until the child is gone. */
async function stopServer(child) {
  child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (child.exitCode === null && child.signalCode === null) {
    if (Date.now() > deadline) child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { ROOT, API, API_NODE_ARGS, freePort, tempDataDir, spawnServer, startServer, stopServer };
