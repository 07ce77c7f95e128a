import { Writable } from 'node:stream';
import { generateHistory } from '@registry/generator';
import { writeLines } from '../../apps/cli/src/generate/write-lines';
import { cliSandbox, type CliSandbox } from '../cli/support/cli';

describe('registry generate', () => {
  let sandbox: CliSandbox;

  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('prints the generated history as JSON Lines, and nothing on stderr when it is not a terminal', async () => {
    const result = await sandbox.run('generate', '--partnerships', '30', '--seed', '9', '--until', '2020-12-31');

    const expected = [...generateHistory({ partnerships: 30, seed: 9, until: '2020-12-31' })].map((line) => `${JSON.stringify(line)}\n`).join('');
    expect(result).toEqual({ exitCode: 0, stdout: expected, stderr: '' });
  });

  it('refuses bad options with exit code 2 and a message naming the option', async () => {
    const missing = await sandbox.run('generate', '--seed', '1');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("required option '--partnerships <n>'");

    const count = await sandbox.run('generate', '--partnerships', 'many', '--seed', '1');
    expect(count.exitCode).toBe(2);
    expect(count.stderr).toContain("option '--partnerships <n>' must be a whole number");

    const seed = await sandbox.run('generate', '--partnerships', '5', '--seed', '-1');
    expect(seed.exitCode).toBe(2);
    expect(seed.stderr).toContain("option '--seed <n>' must be a whole number");

    const until = await sandbox.run('generate', '--partnerships', '5', '--seed', '1', '--until', '1999-01-01');
    expect(until.exitCode).toBe(2);
    expect(until.stderr).toContain("option '--until <date>' must be a date");
    expect([missing, count, seed, until].map((run) => run.stdout)).toEqual(['', '', '', '']);
  });
});

describe('writeLines', () => {
  /** A slow reader: one write a tick. Records how much was ever buffered. */
  class SlowReader extends Writable {
    text = '';
    maxBuffered = 0;

    override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
      this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
      setImmediate(() => {
        this.text += chunk.toString();
        done();
      });
    }
  }

  const manyLines = (count: number, pulled: { count: number } = { count: 0 }) =>
    (function* () {
      for (let i = 0; i < count; i++) {
        pulled.count++;
        yield `${'x'.repeat(99)}${i}\n`;
      }
    })();

  it('waits for drain when write returns false, so the output is never held in memory', async () => {
    const reader = new SlowReader();
    await writeLines(reader, manyLines(50_000)); // about 5 MB

    expect(reader.text.split('\n')).toHaveLength(50_001);
    expect(reader.text.endsWith('49999\n')).toBe(true);
    expect(reader.maxBuffered).toBeLessThan(256 * 1024);
  });

  it('stops quietly when the reader has gone (EPIPE, as with `| head`), and throws other errors', async () => {
    const failing = (code: string) =>
      new Writable({
        write: (_chunk, _encoding, done) => done(Object.assign(new Error(code), { code })),
      });
    const pulled = { count: 0 };

    await expect(writeLines(failing('EPIPE'), manyLines(50_000, pulled))).resolves.toBeUndefined();
    expect(pulled.count).toBeLessThan(50_000);
    await expect(writeLines(failing('EIO'), manyLines(50_000))).rejects.toThrow('EIO');
  });
});
