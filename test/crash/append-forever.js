/**
 * Child process of sqlite-kill9.spec.ts: appends to the SQLite file named by its argument until it
 * is killed, and prints `<globalPosition> <eventId>` for each event once its append has resolved.
 * Several writers run at once, so appends share group-commit batches. (Writes to a pipe are
 * synchronous on Linux: a printed line has left the process before the next append.)
 */
require('../support/register-ts');
const { SqliteEventStore } = require('@registry/event-store');

const store = SqliteEventStore.open(process.argv[2]);
const WRITERS = 8;

function event(writer, round) {
  return {
    type: 'CrashTested',
    schemaVersion: 1,
    data: { writer, round, padding: 'x'.repeat(200) },
    metadata: { actor: { id: 'crash-test', role: 'system' }, effectiveAt: new Date().toISOString(), correlationId: `c-${round}`, causationId: `c-${round}` },
  };
}

async function write(writer) {
  const streamId = `crash-${process.pid}-${writer}`;
  for (let round = 0; ; round++) {
    const result =
      round % 4 === 0
        ? await store.appendMulti(
            [
              { streamId, expectedVersion: 'any', events: [event(writer, round)] },
              { streamId: `${streamId}-side`, expectedVersion: 'any', events: [event(writer, round)] },
            ],
            { idempotency: { key: `${streamId}-${round}`, requestHash: 'h' } },
          )
        : await store.append(streamId, [event(writer, round), event(writer, round)], 'any');
    process.stdout.write(result.events.map(({ globalPosition, eventId }) => `${globalPosition} ${eventId}\n`).join(''));
  }
}

for (let writer = 0; writer < WRITERS; writer++) {
  write(writer).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
