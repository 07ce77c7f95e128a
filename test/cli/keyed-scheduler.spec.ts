import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedScheduler } from '../../apps/cli/src/import/keyed-scheduler';

describe('KeyedScheduler (import concurrency)', () => {
  it('keeps the order of tasks sharing a key, waits on every key, and caps concurrency', async () => {
    const scheduler = new KeyedScheduler(3);
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string, ms: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      running--;
    };

    await scheduler.schedule(['a'], task('a1', 30));
    await scheduler.schedule(['b'], task('b1', 5));
    await scheduler.schedule(['a'], task('a2', 1));
    await scheduler.schedule(['a', 'b'], task('merge-b-into-a', 1)); // a merge waits on both
    await scheduler.schedule(['b'], task('b2', 1));
    for (let i = 0; i < 10; i++) await scheduler.schedule([`x${i}`], task(`x${i}`, 5));
    await scheduler.drain();

    const at = (entry: string) => log.indexOf(entry);
    expect(at('start a2')).toBeGreaterThan(at('end a1'));
    expect(at('start merge-b-into-a')).toBeGreaterThan(at('end a2'));
    expect(at('start merge-b-into-a')).toBeGreaterThan(at('end b1'));
    expect(at('start b2')).toBeGreaterThan(at('end merge-b-into-a'));
    // Unrelated work went ahead while a1 was slow.
    expect(at('end b1')).toBeLessThan(at('end a1'));
    expect(maxRunning).toBe(3);
    expect(log.filter((entry) => entry.startsWith('end'))).toHaveLength(15);
  });

  it('a failing task releases its slot and its successors still run', async () => {
    const scheduler = new KeyedScheduler(1);
    const done: string[] = [];
    await scheduler.schedule(['a'], async () => {
      throw new Error('boom');
    });
    await scheduler.schedule(['a'], async () => void done.push('a2'));
    await scheduler.drain();
    expect(done).toEqual(['a2']);
  });
});
