import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createReadStore } from './create-read-store';
import { EmbeddedReadStore } from './embedded/embedded-read-store';

describe('createReadStore', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'registry-read-store-factory-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('given an embedded URL naming a missing directory, when opening, then the directory is created with the store file in it', async () => {
    // given
    const readModels = join(directory, 'data', 'read-models');

    // when
    const store = await createReadStore(`embedded:${readModels}`);

    // then
    expect(store).toBeInstanceOf(EmbeddedReadStore);
    expect(existsSync(join(readModels, 'read-models.sqlite'))).toBe(true);
    await store.close();
  });

  it('given an embedded URL with a relative path, when opening, then the directory is relative to the working directory', async () => {
    // given
    const readModels = join(directory, 'relative');

    // when
    const store = await createReadStore(`embedded:./${relative(process.cwd(), readModels)}`);

    // then
    expect(existsSync(join(readModels, 'read-models.sqlite'))).toBe(true);
    await store.close();
  });

  it('given an embedded URL with a cache size, when opening, then it is taken, and a bad one is refused by name', async () => {
    // when
    const store = await createReadStore(`embedded:${directory}?cacheMb=16`);

    // then
    expect(store).toBeInstanceOf(EmbeddedReadStore);
    await store.close();
    await expect(createReadStore(`embedded:${directory}?cacheMb=lots`)).rejects.toThrow('cacheMb must be a whole number of megabytes, not "lots"');
    await expect(createReadStore(`embedded:${directory}?cache=16`)).rejects.toThrow('unknown embedded read store URL parameter "cache"');
  });

  it('given a URL of an unsupported scheme, when opening, then the error names the scheme and the supported ones', async () => {
    await expect(createReadStore('redis://localhost/0')).rejects.toThrow(
      'unsupported read store URL scheme "redis": expected embedded:<directory>, mongodb:// or mongodb+srv://',
    );
  });
});
