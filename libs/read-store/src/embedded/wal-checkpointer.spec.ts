import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
