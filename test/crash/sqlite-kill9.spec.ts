import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { findChainBreak, SqliteEventStore } from '@registry/event-store';

interface Acknowledged {
  globalPosition: number;
  eventId: string;
}

/** Runs append-forever.js on the file and SIGKILLs it `runMs` after its first acknowledgement. */
function appendUntilKilled(filePath: string, runMs: number): Promise<Acknowledged[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'append-forever.js'), filePath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    let killTimer: NodeJS.Timeout | undefined;
    const safetyTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), runMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      clearTimeout(safetyTimer);
      if (killTimer === undefined || signal !== 'SIGKILL') {
        reject(new Error(`append-forever ended by itself (code ${code}, signal ${signal}): ${errors}`));
        return;
      }
      // The last line may have been cut by the kill: only complete lines were acknowledged.
      const lines = output.split('\n').slice(0, -1);
      resolve(lines.map((line) => {
        const [position, eventId] = line.split(' ');
        return { globalPosition: Number(position), eventId };
      }));
    });
  });
}

describe('SqliteEventStore under kill -9', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'registry-kill9-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('given two processes writing one file, killed mid-append three times, when the file is reopened each time, then every acknowledged event is there and the log is intact', async () => {
    const filePath = join(directory, 'events.sqlite');
    const acknowledged = new Map<number, string>();

    for (let round = 1; round <= 3; round++) {
      // given
      const acksPerProcess = await Promise.all([appendUntilKilled(filePath, 1500), appendUntilKilled(filePath, 1500)]);
      for (const acks of acksPerProcess) {
        expect(acks.length).toBeGreaterThan(100);
        for (const { globalPosition, eventId } of acks) {
          expect(acknowledged.get(globalPosition) ?? eventId).toBe(eventId);
          acknowledged.set(globalPosition, eventId);
        }
      }

      // when
      const store = SqliteEventStore.open(filePath);
      const log = await store.readAll(1, Number.MAX_SAFE_INTEGER);
      await store.close();

      // then
      expect(log.map((event) => event.globalPosition)).toEqual(log.map((_, index) => index + 1));
      const stored = new Map(log.map((event) => [event.globalPosition, event.eventId]));
      const lost = [...acknowledged].filter(([globalPosition, eventId]) => stored.get(globalPosition) !== eventId);
      expect(lost).toEqual([]);
      expect(findChainBreak(log)).toBeNull();
      const db = new Database(filePath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  }, 90_000);
});
