import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WalCheckpointer } from './wal-checkpointer';

describe('WalCheckpointer', () => {
  it('given a file its thread cannot open, then the store is told, so that it checkpoints in its commits again', async () => {
    // given
    const directory = mkdtempSync(join(tmpdir(), 'registry-checkpointer-'));
    try {
      // when
      const failure = await new Promise<Error>((resolve) => new WalCheckpointer(join(directory, 'missing.sqlite'), resolve));

      // then
      expect(failure.message).toMatch(/directory does not exist|unable to open database file/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('given writes that never pause, then the log starts over whenever it holds more than the bound', async () => {
    // given: a writer that never lets a passive pass catch up, and a bound of 256 KiB
    const directory = mkdtempSync(join(tmpdir(), 'registry-checkpointer-'));
    const db = new Database(join(directory, 'documents.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('journal_size_limit = 0'); // the file is cut back to nothing when the log starts over
    db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, doc TEXT)');
    const checkpointer = new WalCheckpointer(join(directory, 'documents.sqlite'), () => undefined, { intervalMs: 5, restartAboveBytes: 256 * 1024 });
    const insert = db.prepare('INSERT OR REPLACE INTO documents (id, doc) VALUES (?, ?)');
    const commit = db.transaction((from: number) => {
      for (let id = from; id < from + 20; id++) insert.run(id % 2000, 'x'.repeat(2000));
    });
    const logBytes = () => statSync(join(directory, 'documents.sqlite-wal')).size;
    try {
      // when: commits the thread's passive passes cannot keep up with, until the log has started
      // over three times (its file cut back: only a restart does that while writes go on), or
      // 200 MiB were written; in steps, so that the thread's timer runs meanwhile (however slow
      // the machine, it needs no more than a few of them)
      let restarts = 0;
      let size = 0;
      for (let batch = 0; batch < 5000 && restarts < 3; batch++) {
        commit(batch * 20);
        const now = logBytes();
        if (now < size) restarts++;
        size = now;
        if (batch % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }

      // then
      expect(restarts).toBe(3);
    } finally {
      await checkpointer.close();
      db.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
