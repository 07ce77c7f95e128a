import { createHash } from 'node:crypto';
import { canonicalJson } from '@registry/shared-kernel';
import type { RecordedEvent } from './event-store.port';

/** The hash the first event of the log chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedEnvelope = Omit<RecordedEvent, 'hash'>;

/** SHA-256 of the canonical JSON of the envelope followed by the previous event's hash (hex). */
export function chainHash(envelope: HashedEnvelope, previousHash: string): string {
  return chainHashOfCanonical(envelope, canonicalJson(envelope.data), canonicalJson(envelope.metadata), previousHash);
}

/**
 * The same hash when `data` and `metadata` are already canonical JSON text, as the stores write
 * them: the envelope's canonical form is assembled around them (members in sorted key order)
 * instead of parsing and serialising them again.
 */
export function chainHashOfCanonical(
  envelope: Pick<HashedEnvelope, 'eventId' | 'streamId' | 'streamVersion' | 'globalPosition' | 'type' | 'schemaVersion'>,
  canonicalData: string,
  canonicalMetadata: string,
  previousHash: string,
): string {
  const { eventId, streamId, streamVersion, globalPosition, type, schemaVersion } = envelope;
  const canonicalEnvelope =
    `{"data":${canonicalData},"eventId":${JSON.stringify(eventId)},"globalPosition":${canonicalJson(globalPosition)},` +
    `"metadata":${canonicalMetadata},"schemaVersion":${canonicalJson(schemaVersion)},"streamId":${JSON.stringify(streamId)},` +
    `"streamVersion":${canonicalJson(streamVersion)},"type":${JSON.stringify(type)}}`;
  return createHash('sha256').update(canonicalEnvelope, 'utf8').update(previousHash, 'utf8').digest('hex');
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
