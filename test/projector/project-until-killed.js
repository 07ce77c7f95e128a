/**
 * Child process of crash.spec.ts: runs the projector runtime over the event log named by its first
 * argument into the embedded read store in the directory named by its second, with atomic or
 * guarded commits (third argument). Prints `applying <projection> <position>` every 500 events (applied, not
 * yet committed) so the test can SIGKILL it mid-batch, and `caught-up` once it has applied the
 * whole log and closed the stores.
 */
require('../support/register-ts');
const { SqliteEventStore } = require('@registry/event-store');
const { EmbeddedReadStore } = require('@registry/read-store');
const { ProjectorRuntime } = require('@registry/projector');
const { streamCounter, typeCounter } = require('./support/projections');

const [eventsFile, readDirectory, mode] = process.argv.slice(2);

async function main() {
  const eventStore = SqliteEventStore.open(eventsFile);
  const readStore = EmbeddedReadStore.open(readDirectory);
  const reporting = (projection) => ({
    ...projection,
    apply(event, documents) {
      if (event.globalPosition % 500 === 0) process.stdout.write(`applying ${projection.name} ${event.globalPosition}\n`);
      return projection.apply(event, documents);
    },
  });
  const runtime = new ProjectorRuntime(eventStore, readStore, [reporting(streamCounter()), reporting(typeCounter)], {
    batchSize: 250,
    atomicCommit: mode === 'atomic',
  });
  await runtime.start();
  const head = await eventStore.headPosition();
  if (!(await runtime.waitForPosition(head, 60_000))) throw new Error(`not caught up: ${JSON.stringify(await runtime.status())}`);
  await runtime.stop();
  await readStore.close();
  process.stdout.write('caught-up\n');
  // Last: SqliteEventStore.close awaits its writer thread, which is unref'd when idle, so an
  // otherwise idle process may exit before the close resolves.
  await eventStore.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
