import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createEventStore } from './create-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

describe('createEventStore', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'registry-factory-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('given a sqlite URL with an absolute path in a missing directory, when opening, then the directory is created and the store works', async () => {
    // given
    const filePath = join(directory, 'nested', 'events.sqlite');

    // when
    const store = await createEventStore(`sqlite:${filePath}`);

    // then
    expect(store).toBeInstanceOf(SqliteEventStore);
    expect(existsSync(filePath)).toBe(true);
    await store.close();
  });

  it('given a sqlite URL with a relative path, when opening, then the file is relative to the working directory', async () => {
    // given
    const filePath = join(directory, 'data', 'events.sqlite');

    // when
    const store = await createEventStore(`sqlite:./${relative(process.cwd(), filePath)}`);

    // then
    expect(existsSync(filePath)).toBe(true);
    await store.close();
  });

  it('given a KurrentDB URL with no server behind it, when opening, then it fails at once, naming the log stream and not the URL', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const opening = createEventStore('kurrentdb://admin:secret@127.0.0.1:1?tls=false');
    await expect(opening).rejects.toThrow(/^the KurrentDB event store cannot read its log stream registry-log: /);
    await expect(opening).rejects.not.toThrow('secret');
  });

  it('given a URL of an unsupported scheme, when opening, then the error names the scheme', async () => {
    await expect(createEventStore('mysql://admin:secret@localhost/registry')).rejects.toThrow(/^unsupported event store URL scheme "mysql": expected sqlite:<path>, postgres:\/\/, postgresql:\/\/ or kurrentdb:\/\/$/);
    await expect(createEventStore('mysql://admin:secret@localhost/registry')).rejects.not.toThrow('secret');
  });
});
