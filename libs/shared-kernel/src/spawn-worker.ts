import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry is `<directory>/<name>.worker.js` (the build), or, when
 * running from the TypeScript sources (jest), `<name>.worker.ts` loaded through the same
 * on-the-fly transpiler the tests use for child processes. `directory` is the caller's `__dirname`.
 */
export function spawnWorker(directory: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const compiled = join(directory, `${name}.worker.js`);
  if (existsSync(compiled)) return new Worker(compiled, { workerData, resourceLimits });
  const registerTs = resolve(__dirname, '../../../test/support/register-ts.js');
  const source = join(directory, `${name}.worker.ts`);
  return new Worker(`require(${JSON.stringify(registerTs)}); require(${JSON.stringify(source)});`, { eval: true, workerData, resourceLimits });
}
