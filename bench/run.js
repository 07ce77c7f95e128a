'use strict';
/** `npm run bench`: runs every benchmark against the built code, prints a table, writes results.json. */
const { Figures } = require('./support/figures');
const { benchWrite } = require('./write.bench');

async function main() {
  // autocannon and the store's writer thread unref their handles; without this the process could
  // run out of referenced handles between two steps and exit with the bench half done.
  const keepAlive = setInterval(() => {}, 1000);
  const figures = new Figures();
  await benchWrite(figures);
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
