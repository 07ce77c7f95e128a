import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The nice value of a task, field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised name). */
function niceOf(threadId: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('setThreadNice', () => {
  it('given a worker thread, when it lowers its own priority, then only that thread is niced', async () => {
    const source = resolve(__dirname, 'thread-priority.ts');
    const registerTs = resolve(__dirname, '../../../test/support/register-ts.js'); // as spawnWorker loads sources under jest
    const worker = new Worker(
      `require(${JSON.stringify(registerTs)});
       const { parentPort } = require('node:worker_threads');
       const { readlinkSync } = require('node:fs');
       const { setThreadNice } = require(${JSON.stringify(source)});
       const changed = setThreadNice(7);
       parentPort.postMessage({ changed, threadId: Number(readlinkSync('/proc/thread-self').split('/').pop()) });
       parentPort.once('message', () => process.exit(0));`,
      { eval: true },
    );
    const { changed, threadId } = await new Promise<{ changed: boolean; threadId: number }>((resolve) => worker.once('message', resolve));
    try {
      expect(changed).toBe(true);
      expect(niceOf(threadId)).toBe(7);
      expect(threadId).not.toBe(process.pid);
      expect(getPriority(process.pid)).toBe(0); // the main thread (whose id is the process id) is untouched
    } finally {
      worker.postMessage('done');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
