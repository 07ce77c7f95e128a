import type { SerializedError } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { AppendResult } from '../event-store.port';

/**
 * Messages between the store (main thread) and its writer thread. A batch and its outcomes cross
 * as JSON text (they are JSON: events are stored as JSON, errors go serialized): V8's JSON is
 * cheaper than the structured clone `postMessage` does of the same objects, and the API's
 * thread does one or the other for every command (API CPU per command 371 -> 355 us, write bench).
 */
export interface WriterData {
  filePath: string;
  busyTimeoutMs: number;
}

export type ToWriter = { kind: 'commit'; id: number; /** JSON of PendingAppend[] */ batch: string } | { kind: 'close' };

export type FromWriter =
  | { kind: 'committed'; id: number; /** JSON of SettledAppend[] */ outcomes: string }
  | { kind: 'failed'; id: number; error: SerializedError };

export type SettledAppend = { status: 'fulfilled'; value: AppendResult } | { status: 'rejected'; reason: SerializedError };
