import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedEvent, SqliteEventStore } from '@registry/event-store';
import { CHECKPOINTS, type Checkpoint } from '@registry/projector';
import { EmbeddedReadStore } from '@registry/read-store';
import { appendMixedEvents, expectedCounts } from './support/projections';

const EVENTS = 20_000;
const ROOT = join(__dirname, '../..');

/**
 * Runs project-until-killed.js; SIGKILLs it once the stream counter says it is applying `killAt`
 * (resolves 'killed'), or resolves 'caught-up' when it finishes by itself without `killAt`.
 */
function runProjector(eventsFile: string, readDirectory: string, mode: string, killAt?: number): Promise<'killed' | 'caught-up'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', './test/support/register-ts.js', join(__dirname, 'project-until-killed.js'), eventsFile, readDirectory, mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    let killed = false;
    const safetyTimer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      // The stream counter is the slower of the two (more documents): it decides when to kill.
      if (killAt !== undefined && !killed && output.includes(`applying stream-counter ${killAt}\n`)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(safetyTimer);
      if (killed && signal === 'SIGKILL') resolve('killed');
      else if (killAt === undefined && code === 0 && output.includes('caught-up')) resolve('caught-up');
      else reject(new Error(`projector child (kill at ${killAt}) ended with code ${code}, signal ${signal}: ${errors} ${output.slice(-300)}`));
    });
  });
}

interface StoredCounter {
  _id: string;
  count: number;
  _position: number;
}

/**
 * What the read store holds after a kill: each counter must equal a from-scratch count over the
 * log up to some position: the checkpoint's when commits are atomic; with guarded commits a
 * document may be ahead of its checkpoint, so up to its own `_position`.
 */
async function expectConsistent(readDirectory: string, log: readonly RecordedEvent[], mode: string): Promise<number[]> {
  const readStore = EmbeddedReadStore.open(readDirectory);
  try {
    const positions: number[] = [];
    for (const [projection, collection, kind] of [['stream-counter', 'stream_counts__v1', 'streams'], ['type-counter', 'type_counts__v1', 'types']] as const) {
      const checkpoint = await readStore.collection<Checkpoint>(CHECKPOINTS).findOne({ _id: projection });
      const position = checkpoint?.position ?? 0;
      positions.push(position);
      const counters = await readStore.collection<StoredCounter>(collection).find({}).toArray();
      if (mode === 'atomic') {
        const actual = Object.fromEntries(counters.map(({ _id, count }) => [_id, count]));
        expect(actual).toEqual(expectedCounts(log.slice(0, position))[kind]);
      } else {
        for (const { _id, count, _position } of counters) {
          expect(_position).toBeGreaterThan(0);
          expect({ _id, count }).toEqual({ _id, count: expectedCounts(log.slice(0, _position))[kind][_id] });
        }
      }
    }
    return positions;
  } finally {
    await readStore.close();
  }
}

describe('ProjectorRuntime under kill -9', () => {
  let directory: string;
  let eventsFile: string;
  let log: RecordedEvent[];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'registry-projector-kill9-'));
    eventsFile = join(directory, 'events.sqlite');
    const store = SqliteEventStore.open(eventsFile);
    await appendMixedEvents(store, EVENTS, 50);
    log = await store.readAll(1, Number.MAX_SAFE_INTEGER);
    await store.close();
  }, 60_000);

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it.each(['atomic', 'guarded'])(
    'given %s commits and a log of 20,000 events, when the projector is killed four times mid-catch-up and restarted, then after each kill and at the end the counts equal a from-scratch computation',
    async (mode) => {
      // given
      expect(log).toHaveLength(EVENTS);
      const readDirectory = join(directory, `read-${mode}`);
      mkdirSync(readDirectory);
      let previous = [0, 0];

      for (const killAt of [2500, 7000, 11_500, 16_000]) {
        // when
        expect(await runProjector(eventsFile, readDirectory, mode, killAt)).toBe('killed');

        // then: partial, never inconsistent, never going back
        const positions = await expectConsistent(readDirectory, log, mode);
        for (const [index, position] of positions.entries()) expect(position).toBeGreaterThanOrEqual(previous[index]);
        expect(positions[0]).toBeGreaterThan(previous[0]); // the stream counter made progress...
        expect(positions[0]).toBeLessThan(EVENTS); // ...and was killed mid-catch-up
        previous = positions;
      }

      // when
      expect(await runProjector(eventsFile, readDirectory, mode)).toBe('caught-up');

      // then
      expect(await expectConsistent(readDirectory, log, mode)).toEqual([EVENTS, EVENTS]);
      const readStore = EmbeddedReadStore.open(readDirectory);
      const expected = expectedCounts(log);
      const streams = await readStore.collection<StoredCounter>('stream_counts__v1').find({}).toArray();
      expect(Object.fromEntries(streams.map(({ _id, count }) => [_id, count]))).toEqual(expected.streams);
      await readStore.close();
    },
    120_000,
  );
});
