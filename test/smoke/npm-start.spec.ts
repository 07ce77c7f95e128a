import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist/apps/api/src/main.js');

/**
 * What `npm start` runs, as a user gets it: the built server on a fresh data directory, with no
 * configuration. `npm test` builds first, so this checks the compiled output too.
 */
describe('the built API on a fresh data directory (npm start)', () => {
  let dataDir: string;
  let server: ChildProcess;
  let output = '';

  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'registry-smoke-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1' };
    delete env.JWT_SECRET;
    delete env.EVENT_STORE_URL;
    server = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!/listening on http/.test(output) || !/eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(output)) {
      if (server.exitCode !== null || server.signalCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const baseUrl = () => output.match(/listening on (http:\/\/\S+)/)![1];
  const firstToken = () => output.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/)![0];

  it('creates a secret under DATA_DIR and prints a secretariat token that works at once', async () => {
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    const response = await fetch(`${baseUrl()}/partnerships`, {
      method: 'POST',
      headers: { authorization: `Bearer ${firstToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'ghs-capacity',
        name: 'Global partnership for capacity building to implement the GHS',
        themes: { primary: ['chemicals'] },
        scope: 'global',
        startDate: '2002-09-04',
        effectiveDate: '2002-09-04',
        partners: [{ orgId: 'unitar', name: 'UNITAR', type: 'un-system', lead: true }],
      }),
    });
    expect(response.status).toBe(201);
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
  });

  it('serves the API documentation page and the OpenAPI document', async () => {
    const page = await fetch(`${baseUrl()}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    const document = await fetch(`${baseUrl()}/openapi.json`);
    expect(((await document.json()) as { info: { title: string } }).info.title).toBe('Partnership registry');
  });

  it('stops cleanly on SIGTERM', async () => {
    server.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => server.once('exit', (c, s) => resolve([c, s])));
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  });
});
