import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/**
 * Opens the event store a URL names:
 * - `sqlite:<path>`, e.g. `sqlite:./data/events.sqlite` (relative to the working directory) or
 *   `sqlite:/var/lib/registry/events.sqlite`; the parent directory is created if missing.
 * - `postgres://` or `postgresql://` connection URLs; the tables are created if missing.
 * - KurrentDB connection strings (`kurrentdb://`, `kurrent://`, `kdb://`, their `+discover`
 *   forms, and EventStoreDB's `esdb://`), e.g. `kurrentdb://admin:changeit@localhost:2113?tls=false`;
 *   the log is the stream `registry-log`.
 */
/** The schemes the KurrentDB client accepts. */
export const KURRENTDB_SCHEMES = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?$/;

export async function createEventStore(url: string): Promise<EventStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    const filePath = resolve(url.slice('sqlite:'.length));
    mkdirSync(dirname(filePath), { recursive: true });
    return SqliteEventStore.open(filePath);
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return PostgresEventStore.open(url);
  if (scheme && KURRENTDB_SCHEMES.test(scheme)) return KurrentDbEventStore.open(url);
  // Only the scheme goes into the message: the rest of a URL may hold a password.
  throw new Error(`unsupported event store URL scheme "${scheme ?? ''}": expected sqlite:<path>, postgres://, postgresql:// or kurrentdb://`);
}
