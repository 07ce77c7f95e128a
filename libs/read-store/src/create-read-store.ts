import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded/embedded-read-store';
import { MongoReadStore } from './mongodb/mongodb-read-store';
import type { ReadStore } from './read-store.port';

/**
 * Opens the read store a URL names:
 * - `embedded:<directory>`, e.g. `embedded:./data/read-models` (relative to the working
 *   directory); the directory is created if missing and holds `read-models.sqlite`;
 *   `?cacheMb=<n>` sets the megabytes of documents the store keeps parsed in memory;
 * - `mongodb://…` or `mongodb+srv://…`, on the database named in the URL path
 *   (`mongodb://localhost:27017/registry`).
 */
export async function createReadStore(url: string): Promise<ReadStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'embedded') {
    const [path, query = ''] = url.slice('embedded:'.length).split('?', 2);
    const directory = resolve(path);
    mkdirSync(directory, { recursive: true });
    return EmbeddedReadStore.open(directory, embeddedOptions(new URLSearchParams(query)));
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') return MongoReadStore.open(url);
  throw new Error(`unsupported read store URL scheme "${scheme ?? url}": expected embedded:<directory>, mongodb:// or mongodb+srv://`);
}

function embeddedOptions(parameters: URLSearchParams): EmbeddedReadStoreOptions {
  const unknown = [...parameters.keys()].find((name) => name !== 'cacheMb');
  if (unknown !== undefined) throw new Error(`unknown embedded read store URL parameter "${unknown}": expected cacheMb`);
  const cacheMb = parameters.get('cacheMb');
  if (cacheMb === null) return {};
  if (!/^\d+$/.test(cacheMb)) throw new Error(`the embedded read store URL's cacheMb must be a whole number of megabytes, not "${cacheMb}"`);
  return { cacheMegabytes: Number(cacheMb) };
}
