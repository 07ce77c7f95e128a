import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedQueue } from './keyed-queue';

describe('KeyedQueue', () => {
  const recorder = () => {
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    return { log, task, at: (entry: string) => log.indexOf(entry) };
  };

  it('given tasks on one key, when they run, then each starts after the one before it has ended, in order', async () => {
    // given
    const queue = new KeyedQueue();
    const { task, at } = recorder();

    // when
    const results = await Promise.all([queue.run(['a'], task('a1', 20)), queue.run(['a'], task('a2', 1)), queue.run(['a'], task('a3', 1))]);

    // then
    expect(results).toEqual(['a1', 'a2', 'a3']);
    expect(at('start a2')).toBeGreaterThan(at('end a1'));
    expect(at('start a3')).toBeGreaterThan(at('end a2'));
  });

  it('given tasks on other keys, when they run, then they overlap', async () => {
    // given
    const queue = new KeyedQueue();
    const { task, at } = recorder();

    // when
    await Promise.all([queue.run(['a'], task('a', 20)), queue.run(['b'], task('b', 1))]);

    // then
    expect(at('end b')).toBeLessThan(at('end a'));
  });

  it('given a task on two keys, when it runs, then it waits for the earlier tasks of both, and later tasks of either wait for it', async () => {
    // given
    const queue = new KeyedQueue();
    const { task, at } = recorder();

    // when
    await Promise.all([
      queue.run(['a'], task('a1', 20)),
      queue.run(['b'], task('b1', 5)),
      queue.run(['a', 'b'], task('merge', 5)),
      queue.run(['b'], task('b2', 1)),
    ]);

    // then
    expect(at('start merge')).toBeGreaterThan(at('end a1'));
    expect(at('start merge')).toBeGreaterThan(at('end b1'));
    expect(at('start b2')).toBeGreaterThan(at('end merge'));
  });

  it('given a task that fails, when the next one on its key runs, then it runs, and the failure goes to its own caller only', async () => {
    // given
    const queue = new KeyedQueue();
    const { task } = recorder();

    // when
    const failed = queue.run(['a'], task('a1', 1, true));
    const next = queue.run(['a'], task('a2', 1));

    // then
    await expect(failed).rejects.toThrow('a1 failed');
    await expect(next).resolves.toBe('a2');
  });

  it('given a task that throws before it awaits anything, when it is run, then the caller gets a rejection, not a throw', async () => {
    // given
    const queue = new KeyedQueue();

    // when
    const result = queue.run(['a'], () => {
      throw new Error('at once');
    });

    // then
    await expect(result).rejects.toThrow('at once');
  });

  it('given every task has ended, then no key is held', async () => {
    // given
    const queue = new KeyedQueue();
    const { task } = recorder();

    // when
    await Promise.allSettled([queue.run(['a'], task('a', 1)), queue.run(['a', 'b'], task('ab', 1, true))]);
    await sleep(0);

    // then
    expect(queue.size).toBe(0);
  });
});
