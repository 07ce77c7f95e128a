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

export function rowToEvent(row: EventRow): RecordedEvent {
  return { ...row, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) };
}
