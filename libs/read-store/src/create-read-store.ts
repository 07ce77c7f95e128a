import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { EmbeddedReadStore } from './embedded/embedded-read-store';
import { MongoReadStore } from './mongodb/mongodb-read-store';
import type { ReadStore } from './read-store.port';

/**
 * Opens the read store a URL names:
 * - `embedded:<directory>`, e.g. `embedded:./data/read-models` (relative to the working
 *   directory); the directory is created if missing and holds `read-models.sqlite`;
 * - `mongodb://…` or `mongodb+srv://…`, on the database named in the URL path
 *   (`mongodb://localhost:27017/registry`).
 */
export async function createReadStore(url: string): Promise<ReadStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'embedded') {
    const directory = resolve(url.slice('embedded:'.length));
    mkdirSync(directory, { recursive: true });
    return EmbeddedReadStore.open(directory);
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') return MongoReadStore.open(url);
  throw new Error(`unsupported read store URL scheme "${scheme ?? url}": expected embedded:<directory>, mongodb:// or mongodb+srv://`);
}
