import { createHash } from 'node:crypto';
import { canonicalJson } from '@registry/shared-kernel';
import type { RecordedEvent } from './event-store.port';

/** The hash the first event of the log chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedEnvelope = Omit<RecordedEvent, 'hash'>;

/** SHA-256 of the canonical JSON of the envelope followed by the previous event's hash (hex). */
export function chainHash(envelope: HashedEnvelope, previousHash: string): string {
  const { eventId, streamId, streamVersion, globalPosition, type, schemaVersion, data, metadata } = envelope;
  return createHash('sha256')
    .update(canonicalJson({ eventId, streamId, streamVersion, globalPosition, type, schemaVersion, data, metadata }), 'utf8')
    .update(previousHash, 'utf8')
    .digest('hex');
}

export interface ChainBreak {
  globalPosition: number;
  expectedHash: string;
  storedHash: string;
}

/**
 * Recomputes the chain over consecutive events (from the start of the log when `previousHash` is
 * the genesis hash) and returns the first event whose stored hash does not match, or null.
 */
export function findChainBreak(events: Iterable<RecordedEvent>, previousHash = GENESIS_HASH): ChainBreak | null {
  let previous = previousHash;
  for (const event of events) {
    const expectedHash = chainHash(event, previous);
    if (expectedHash !== event.hash) return { globalPosition: event.globalPosition, expectedHash, storedHash: event.hash };
    previous = event.hash;
  }
  return null;
}
