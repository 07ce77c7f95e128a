import { resolve } from 'node:path';
import { type EventRow, rowToEvent } from '../event-row';
import type { RecordedEvent } from '../event-store.port';

/**
 * The channel on which the writer threads of a file announce each commit, with the rows it
 * wrote, to every store on that file in this process (the API's, the read side's in its thread).
 */
export function commitsChannelName(filePath: string): string {
  return `registry-event-log:${resolve(filePath)}`;
}

/**
 * The events this process's writer threads announced lately, kept as their rows and parsed when
 * first read: a subscription reads new events here instead of from the file, where the first read
 * after another connection's commit cost ~50 µs more than the events themselves (SQLite drops a
 * connection's page cache when the file has changed), twice per commit on the read side (the
 * projections' reader and the as-of index's). Only contiguous positions are kept: an announcement
 * that does not follow the last one (another writer on the same file, a store that started
 * listening late) starts it afresh, and a read outside what it holds goes to the file.
 */
export class RecentCommits {
  private rows: EventRow[] = [];
  private events: (RecordedEvent | undefined)[] = [];

  constructor(private readonly capacity = 4096) {}

  add(rows: readonly EventRow[]): void {
    if (rows.length === 0) return;
    const last = this.rows[this.rows.length - 1];
    if (!last || rows[0].globalPosition !== last.globalPosition + 1) {
      this.rows = [];
      this.events = [];
    }
    this.rows.push(...rows);
    this.events.length = this.rows.length;
    if (this.rows.length > 2 * this.capacity) {
      this.rows = this.rows.slice(-this.capacity);
      this.events = this.events.slice(-this.capacity);
    }
  }

  /** Up to `limit` events from `fromPosition`, all of them held; undefined when it does not hold that position. */
  read(fromPosition: number, limit: number): RecordedEvent[] | undefined {
    if (this.rows.length === 0) return undefined;
    const start = fromPosition - this.rows[0].globalPosition;
    if (start < 0 || start >= this.rows.length) return undefined;
    const end = Math.min(this.rows.length, start + limit);
    const read: RecordedEvent[] = [];
    for (let i = start; i < end; i++) read.push((this.events[i] ??= rowToEvent(this.rows[i])));
    return read;
  }
}
