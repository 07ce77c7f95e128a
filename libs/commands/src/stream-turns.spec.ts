import { StreamTurns } from './stream-turns';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A task that records when it starts and ends, and ends when told. */
function recordedTask(log: string[], name: string) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    end,
    task: async () => {
      log.push(`${name} starts`);
      await ended;
      log.push(`${name} ends`);
      return name;
    },
  };
}

describe('StreamTurns', () => {
  it('given a task on a stream, when another comes for the same stream, then it starts only after the first has ended', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    const first = recordedTask(log, 'first');
    const second = recordedTask(log, 'second');
    const results = [turns.run(['p-1'], first.task), turns.run(['p-1'], second.task)];
    await tick();
    expect(log).toEqual(['first starts']);
    first.end();
    second.end();
    await expect(Promise.all(results)).resolves.toEqual(['first', 'second']);
    expect(log).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
  });

  it('given a task on one stream, when a task comes for another stream, then it runs at once', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    const first = recordedTask(log, 'first');
    const other = recordedTask(log, 'other');
    const results = [turns.run(['p-1'], first.task), turns.run(['p-2'], other.task)];
    await tick();
    expect(log).toEqual(['first starts', 'other starts']);
    first.end();
    other.end();
    await Promise.all(results);
  });

  it('given a merge of two streams, then it waits for both, and commands on either wait for it, without deadlock', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    const onAbsorbed = recordedTask(log, 'on p-1');
    const onSurvivor = recordedTask(log, 'on p-2');
    const merge = recordedTask(log, 'merge');
    const after = recordedTask(log, 'after on p-2');
    const results = [
      turns.run(['p-1'], onAbsorbed.task),
      turns.run(['p-2'], onSurvivor.task),
      turns.run(['p-1', 'p-2'], merge.task),
      turns.run(['p-2'], after.task),
    ];
    await tick();
    onAbsorbed.end();
    await tick();
    expect(log).not.toContain('merge starts');
    onSurvivor.end();
    merge.end();
    after.end();
    await Promise.all(results);
    expect(log.indexOf('merge starts')).toBeGreaterThan(log.indexOf('on p-2 ends'));
    expect(log.indexOf('after on p-2 starts')).toBeGreaterThan(log.indexOf('merge ends'));
  });

  it('given a task that fails, then its error reaches its caller and the next task on the stream still runs', async () => {
    const turns = new StreamTurns();
    const failing = turns.run(['p-1'], async () => {
      throw new Error('refused');
    });
    const next = turns.run(['p-1'], async () => 'next');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });

  it('given every task has settled, then no stream is held (the queue does not grow with the registry)', async () => {
    const turns = new StreamTurns();
    await Promise.all(Array.from({ length: 100 }, (_, i) => turns.run([`p-${i % 7}`], async () => i)));
    expect(turns.busyStreams).toBe(0);
  });
});
