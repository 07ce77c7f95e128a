/**
 * Preloaded into the built API by api-crash.spec.ts (`node --require <this> dist/apps/api/src/main.js`).
 * It only observes, on stdout (synchronous for a pipe on Linux):
 *
 *   batch <projection> <first> <last> <count>  a projection starts applying `count` events, first..last
 *   checkpoint <projection> <position>          the embedded read store has committed its checkpoint
 *
 * so that the test can SIGKILL the server right after a given batch, and check that each run of
 * a projection applies the log from exactly one past its committed checkpoint: no event twice,
 * none skipped, even where applying an event twice would leave the documents as they were.
 *
 * Why not poll GET /admin/projections: while the projector catches up in the API process the
 * event loop gets no turn (the SQLite reads and the embedded store's commits are synchronous), so
 * the server neither listens nor answers until every projection has caught up.
 */
const path = require('node:path');

const dist = path.resolve(__dirname, '../../../dist');
const { EmbeddedReadStore } = require(path.join(dist, 'libs/read-store/src/embedded/embedded-read-store.js'));
const { CHECKPOINTS } = require(path.join(dist, 'libs/projector/src/checkpoint.js'));
const { ProjectionRunner } = require(path.join(dist, 'libs/projector/src/projection-runner.js'));

const applyBatch = ProjectionRunner.prototype.applyBatch;
if (typeof applyBatch !== 'function') throw new Error('report-checkpoints.js: ProjectionRunner has no applyBatch to observe any more; update this file');
ProjectionRunner.prototype.applyBatch = function reportBatch(events) {
  if (events.length > 0) {
    process.stdout.write(`batch ${this.projection.name} ${events[0].globalPosition} ${events[events.length - 1].globalPosition} ${events.length}\n`);
  }
  return applyBatch.call(this, events);
};

const commit = EmbeddedReadStore.prototype.commit;
EmbeddedReadStore.prototype.commit = async function commitAndReport(writes) {
  const result = await commit.call(this, writes);
  for (const { collection, operations } of writes) {
    if (collection !== CHECKPOINTS) continue;
    for (const { replaceOne } of operations) {
      if (!replaceOne) continue;
      const { building, position } = replaceOne.replacement;
      process.stdout.write(`checkpoint ${replaceOne.filter._id} ${building ? building.position : position}\n`);
    }
  }
  return result;
};
