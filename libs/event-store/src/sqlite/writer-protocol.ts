import type { SerializedError } from '@registry/shared-kernel';
import type { PendingAppend } from '../append-batch';
import type { AppendResult } from '../event-store.port';

/** Messages between the store (main thread) and its writer thread. */
export interface WriterData {
  filePath: string;
  busyTimeoutMs: number;
}

export type ToWriter = { kind: 'commit'; id: number; batch: PendingAppend[] } | { kind: 'close' };

export type FromWriter =
  | { kind: 'committed'; id: number; outcomes: SettledAppend[] }
  | { kind: 'failed'; id: number; error: SerializedError };

export type SettledAppend = { status: 'fulfilled'; value: AppendResult } | { status: 'rejected'; reason: SerializedError };
