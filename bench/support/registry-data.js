'use strict';
/**
 * A generated registry for the read benches: `registry generate` piped into `registry import`,
 * run once and cached. Only the event log is cached (the read models are what the benches
 * measure), under bench/.cache/event-logs/<key>/, where the key names the generator's parameters
 * and hashes the sources that decide which events an import writes. Each measurement copies the
 * log into a fresh data dir.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { ROOT, tempDataDir } = require('./processes');

const CLI = path.join(ROOT, 'dist/apps/cli/src/main.js');
const CACHE = path.join(ROOT, 'bench/.cache/event-logs');
/** What decides the events of an import: the generator, the CLI's import, the domain, the command handlers, the store's format. */
const LOG_SOURCES = ['libs/generator/src', 'apps/cli/src/import', 'libs/domain/src', 'libs/commands/src', 'libs/event-store/src', 'libs/shared-kernel/src', 'package-lock.json'];
/** Lines in flight in the import (the store commits concurrent appends together); BENCH_IMPORT_CONCURRENCY overrides. */
const IMPORT_CONCURRENCY = Number(process.env.BENCH_IMPORT_CONCURRENCY ?? 64);
const ACTOR = 'bench-import';

function progress(message) {
  process.stderr.write(`[read] ${message}\n`);
}

function sourceFiles(entry) {
  const full = path.join(ROOT, entry);
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter((dirent) => !dirent.name.endsWith('.spec.ts'))
    .flatMap((dirent) => sourceFiles(path.join(entry, dirent.name)));
}

function sourcesHash() {
  const hash = crypto.createHash('sha256');
  for (const file of LOG_SOURCES.flatMap(sourceFiles).sort()) {
    hash.update(`${file}\0`).update(fs.readFileSync(path.join(ROOT, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Runs the CLI with DATA_DIR set; resolves on exit 0. Its stderr (progress, in steps when it is
 * not a terminal) goes to ours line by line, prefixed, through `onLine` when given.
 */
function runCli(args, { dataDir, stdout = 'ignore', onLine, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', stdout, 'pipe'],
    });
    const output = [];
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      (onLine ?? ((text) => progress(`  ${args[0]}: ${text}`)))(line);
    });
    if (child.stdout) readline.createInterface({ input: child.stdout }).on('line', (line) => output.push(line));
    process.on('exit', () => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`registry ${args.join(' ')} ended with ${signal ?? `code ${code}`}`)),
    );
  });
}

function logFiles(dir) {
  return fs.readdirSync(dir).filter((name) => name.startsWith('events.sqlite'));
}

/**
 * The directory holding the event log of `partnerships` generated partnerships from `seed`
 * (progress lines through `log`, the read group's `[read]` prefix by default),
 * generating and importing it on a cache miss (about two minutes for 10,000). Entries with other
 * keys for the same parameters are stale (the sources changed) and are deleted.
 */
async function cachedEventLog({ partnerships, seed, log = progress }) {
  const { DEFAULT_UNTIL } = require(path.join(ROOT, 'dist/libs/generator/src'));
  const until = DEFAULT_UNTIL;
  const prefix = `p${partnerships}-s${seed}-u${until}-`;
  const key = `${prefix}${sourcesHash()}`;
  const dir = path.join(CACHE, key);
  if (fs.existsSync(path.join(dir, 'events.sqlite'))) {
    log(`event log from cache: ${path.relative(ROOT, dir)}`);
    return dir;
  }
  fs.mkdirSync(CACHE, { recursive: true });
  for (const stale of fs.readdirSync(CACHE).filter((name) => name.startsWith(prefix) && name !== key)) {
    log(`dropping stale cached log ${stale}`);
    fs.rmSync(path.join(CACHE, stale), { recursive: true, force: true });
  }
  const work = tempDataDir('import');
  try {
    const file = path.join(work, `history-p${partnerships}-s${seed}.jsonl`);
    const started = Date.now();
    log(`cache miss: generating ${partnerships} partnerships (seed ${seed}, until ${until})`);
    const out = fs.openSync(file, 'w');
    await runCli(['generate', '--partnerships', String(partnerships), '--seed', String(seed), '--until', until], {
      dataDir: work,
      stdout: out,
      onLine: (line) => log(`  generate: ${line}`),
    }).finally(() => fs.closeSync(out));
    const generatedIn = (Date.now() - started) / 1000;
    log(`generated in ${generatedIn.toFixed(0)} s; importing with --concurrency ${IMPORT_CONCURRENCY} (about 2 min for 10,000 partnerships)`);
    const summary = await runCli(['import', file, '--concurrency', String(IMPORT_CONCURRENCY), '--actor', ACTOR], {
      dataDir: work,
      // Every partnership's state stays folded: with the default 20,000, 100,000 partnerships imported
      // at about 700 lines/s (streams read back and folded again), 10,000 at about 2,000.
      env: { COMMAND_STATE_CACHE: String(partnerships) },
      stdout: 'pipe',
      onLine: (line) => log(`  import: ${line}`),
    });
    summary.forEach((line) => log(`  import: ${line}`));
    log(`generated and imported in ${((Date.now() - started) / 1000).toFixed(0)} s (import ${((Date.now() - started) / 1000 - generatedIn).toFixed(0)} s)`);
    // Publish whole: copy into a temporary sibling, then rename, so an interrupted run leaves no half entry.
    const partial = `${dir}.partial-${process.pid}`;
    fs.mkdirSync(partial, { recursive: true });
    for (const name of logFiles(work)) fs.copyFileSync(path.join(work, name), path.join(partial, name));
    fs.renameSync(partial, dir);
    return dir;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A fresh data dir holding a copy of the cached event log and nothing else. */
function dataDirWithLog(logDir, label) {
  const dir = tempDataDir(label);
  for (const name of logFiles(logDir)) fs.copyFileSync(path.join(logDir, name), path.join(dir, name));
  return dir;
}

module.exports = { CLI, cachedEventLog, dataDirWithLog, runCli, progress };
