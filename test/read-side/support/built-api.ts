import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** What `npm start` runs; `npm test` builds it first. */
export const BUILT_API = join(REPO_ROOT, 'dist/apps/api/src/main.js');

export interface BuiltApi {
  child: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the base URL once the server says it listens (PORT=0: a free port). */
  listening: Promise<string>;
  /** Resolves with the first match of `match` on what the server printed (rejects as `listening`). */
  waitFor<T>(what: string, match: (output: string) => T | undefined): Promise<T>;
  /** Resolves when the process has exited, however, and its output has been read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

/**
 * The built API as `npm start` runs it (see test/smoke/npm-start.spec.ts) on `dataDir`: embedded
 * stores under it, its `jwt-secret`, a free port on 127.0.0.1. `listening` and `waitFor` reject
 * if the process exits first or after `timeoutMs`.
 */
export function spawnBuiltApi(
  dataDir: string,
  { env = {}, nodeArgs = [], timeoutMs = 60_000 }: { env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): BuiltApi {
  if (!existsSync(BUILT_API)) throw new Error(`${BUILT_API} is missing: run \`npm run build\` first (\`npm test\` does)`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', LOG_LEVEL: 'log', ...env };
  for (const name of ['JWT_SECRET', 'EVENT_STORE_URL', 'READ_STORE_URL']) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, [...nodeArgs, BUILT_API], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then everything it printed has been read
    child.once('close', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const waitFor = <T>(what: string, match: (output: string) => T | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        const found = match(output);
        if (found !== undefined) return resolve(found);
        if (exited) return reject(new Error(`the API exited before ${what}:\n${output.slice(-2000)}`));
        if (Date.now() > deadline) return reject(new Error(`the API did not report ${what} within ${timeoutMs} ms:\n${output.slice(-2000)}`));
        setTimeout(check, 10);
      };
      check();
    });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const listening = waitFor('listening', (text) => text.match(/listening on (http:\/\/\S+)/)?.[1]);
  listening.catch(() => undefined); // no unhandled rejection when nobody waits for it and the process is killed
  return { child, output: () => output, listening, waitFor, exited: exitedPromise, hasExited: () => exited };
}

/** SIGKILLs (or other signal) the process unless it has exited, and waits for its exit. */
export async function stopBuiltApi(api: BuiltApi, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!api.hasExited()) api.child.kill(signal);
  return api.exited;
}

/** GET with a bearer token; the parsed JSON body and the status. */
export async function getJson<T = any>(url: string, token?: string, timeoutMs = 60_000): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T };
}
