import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import type { RecordedEvent } from '@registry/event-store';
import { AsOfIndex } from './as-of-index';
import { readIndexSnapshot, writeIndexSnapshot } from './index-snapshot-file';
import { randomHistory } from './testing/random-history';

const POLICY = { intervalMonths: 12, inactiveAfterMonths: 24 };
/** Small frozen-snapshot spacing, so that the dump holds frozen snapshots too. */
const OPTIONS = { policy: POLICY, snapshotEveryDeltas: 40 };

async function apply(index: AsOfIndex, events: RecordedEvent[], all: RecordedEvent[]): Promise<void> {
  const readStream = async (streamId: string) => all.filter((event) => event.streamId === streamId);
  for (const event of events) await index.apply(event, readStream);
}

/** What the index answers at a spread of dates, as of everything it applied. */
function answers(index: AsOfIndex, instants: number[]) {
  return instants.map((instant) => ({ trends: index.trends(instant, index.appliedPosition), compliance: index.complianceCounts(instant, index.appliedPosition) }));
}

describe('the as-of index file', () => {
  const history = randomHistory(20261202, 400);
  const dates = [...history.instants].sort((a, b) => a - b).filter((_, i, all) => i % Math.ceil(all.length / 12) === 0);
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'as-of-index-file-'));
    file = join(directory, 'index.snapshot');
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('given an index, when written and read back, then the restored index answers as the original does', async () => {
    const index = new AsOfIndex(OPTIONS);
    await apply(index, history.events, history.events);

    await writeIndexSnapshot(file, index.dump());
    const restored = AsOfIndex.restore(readIndexSnapshot(file)!, OPTIONS)!;

    expect(restored.appliedPosition).toBe(history.events.length);
    expect(answers(restored, dates)).toEqual(answers(index, dates));
  });

  it('given a save under way, when events go on being applied meanwhile, then the file holds the index as it stood when the save began, and resumes from there', async () => {
    const half = Math.floor(history.events.length / 2);
    const rest = history.events.slice(half);
    const index = new AsOfIndex(OPTIONS);
    await apply(index, history.events.slice(0, half), history.events);
    const atHalf = answers(index, dates);

    // when: the rest is applied while the frames are being written (each write lets the loop turn)
    let saveDone = false;
    const saved = writeIndexSnapshot(file, index.dump()).then(() => (saveDone = true));
    let appliedDuringSave = 0;
    for (const event of rest) {
      await apply(index, [event], history.events);
      if (!saveDone) appliedDuringSave++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await saved;
    expect(appliedDuringSave).toBeGreaterThan(0); // the test would be void otherwise

    // then: the file is the index at half, which, given the rest, answers as the live index does
    const restored = AsOfIndex.restore(readIndexSnapshot(file)!, OPTIONS)!;
    expect(restored.appliedPosition).toBe(half);
    expect(answers(restored, dates)).toEqual(atHalf);
    await apply(restored, rest, history.events);
    expect(answers(restored, dates)).toEqual(answers(index, dates));
  });

  it('given a file cut short, or one of the earlier single-value format, when read, then it reads as no file (the index is rebuilt)', async () => {
    const index = new AsOfIndex(OPTIONS);
    await apply(index, history.events.slice(0, 50), history.events);
    await writeIndexSnapshot(file, index.dump());
    const length = readFileSync(file).length;

    truncateSync(file, length - 10);
    expect(readIndexSnapshot(file)).toBeNull();

    writeFileSync(file, serialize(index.dump()));
    expect(readIndexSnapshot(file)).toBeNull();

    expect(readIndexSnapshot(join(directory, 'missing'))).toBeNull();
  });
});
