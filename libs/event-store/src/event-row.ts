import type { RecordedEvent } from './event-store.port';

/** An event as the SQL adapters store it: `data` and `metadata` as JSON text. */
export interface EventRow {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  hash: string;
}

/** Selects an `EventRow` from the `events` table (the same columns in SQLite and PostgreSQL). */
export const EVENT_ROW_COLUMNS = `global_position AS "globalPosition", event_id AS "eventId", stream_id AS "streamId",
  stream_version AS "streamVersion", type, schema_version AS "schemaVersion", data, metadata, hash`;

export function rowToEvent(row: EventRow): RecordedEvent {
  return { ...row, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) };
}
