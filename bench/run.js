'use strict';
/**
 * `npm run bench`: runs every benchmark against the built code, prints a table, writes results.json.
 * `npm run bench -- --only read` (or `BENCH=read npm run bench`) runs one group (write, read,
 * asof); a comma-separated list runs several, in the order below.
 */
const { Figures } = require('./support/figures');
const { benchWrite } = require('./write.bench');
const { benchRead } = require('./read.bench');
const { benchAsOf } = require('./asof.bench');

const GROUPS = { write: benchWrite, read: benchRead, asof: benchAsOf };

function selectedGroups(argv = process.argv.slice(2)) {
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  const unknownArgs = argv.filter((arg, i) => !(i === at || (i === at + 1 && argv[at] === '--only')));
  if (unknownArgs.length > 0) throw new Error(`unknown argument ${unknownArgs[0]}: usage: node bench/run.js [--only ${Object.keys(GROUPS).join('|')}[,...]]`);
  const only = at >= 0 ? (argv[at].includes('=') ? argv[at].slice('--only='.length) : argv[at + 1]) : process.env.BENCH;
  if (!only) return Object.keys(GROUPS);
  const names = only.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.find((name) => !(name in GROUPS));
  if (unknown !== undefined || names.length === 0) throw new Error(`no bench group "${unknown ?? only}": there are ${Object.keys(GROUPS).join(', ')}`);
  return Object.keys(GROUPS).filter((name) => names.includes(name));
}

async function main() {
  const groups = selectedGroups();
  // autocannon and the store's writer thread unref their handles; without this the process could
  // run out of referenced handles between two steps and exit with the bench half done.
  const keepAlive = setInterval(() => {}, 1000);
  const figures = new Figures();
  for (const name of groups) await GROUPS[name](figures);
  figures.print();
  figures.write();
  clearInterval(keepAlive);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
