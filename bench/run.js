'use strict';
/** `npm run bench`: runs every benchmark against the built code, prints a table, writes results.json. */
const { Figures } = require('./support/figures');
const { benchWrite } = require('./write.bench');

async function main() {
  const figures = new Figures();
  await benchWrite(figures);
  figures.print();
  figures.write();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
