import type { BulkOperation, ReadStore } from '@registry/read-store';
import type { Projection } from './projection';

/** The read store collection that holds one checkpoint document per projection. */
export const CHECKPOINTS = 'projector_checkpoints';

/**
 * Where a projection stands. `position` belongs to the active collections, `building.position` to
 * the ones being built; each is committed with the documents of the batch that reached it, so a
 * restart resumes exactly there.
 */
export interface Checkpoint {
  /** The projection's name. */
  _id: string;
  /** The code version that last wrote this checkpoint. */
  version: number;
  /** The version queries read; null before the first run. */
  activeVersion: number | null;
  /**
   * Bumped by a forced rebuild of the active version, which needs collections of its own
   * (`<logical>__v<version>_<generation>`) to write while queries read the current ones.
   */
  activeGeneration: number;
  /** Last global position applied to the active collections. */
  position: number;
  building?: CollectionSet & { position: number };
  updatedAt: string;
}

/** One version of a projection's collections. */
export interface CollectionSet {
  version: number;
  generation: number;
}

export function initialCheckpoint(projection: Projection): Checkpoint {
  return { _id: projection.name, version: projection.version, activeVersion: null, activeGeneration: 0, position: 0, updatedAt: new Date().toISOString() };
}

export async function loadCheckpoint(readStore: ReadStore, projection: Projection): Promise<Checkpoint> {
  const stored = await readStore.collection<Checkpoint>(CHECKPOINTS).findOne({ _id: projection.name });
  return stored ? { ...stored, activeGeneration: stored.activeGeneration ?? 0 } : initialCheckpoint(projection);
}

export function checkpointWrite(checkpoint: Checkpoint): { collection: string; operations: BulkOperation[] } {
  const { _id, ...replacement } = checkpoint;
  return { collection: CHECKPOINTS, operations: [{ replaceOne: { filter: { _id }, replacement, upsert: true } }] };
}

export function activeSet(checkpoint: Checkpoint): CollectionSet | null {
  return checkpoint.activeVersion === null ? null : { version: checkpoint.activeVersion, generation: checkpoint.activeGeneration };
}

/** `<logical>__v<version>`, or `<logical>__v<version>_<generation>` for a forced rebuild. */
export function physicalName(logical: string, { version, generation }: CollectionSet): string {
  return generation === 0 ? `${logical}__v${version}` : `${logical}__v${version}_${generation}`;
}

/** Whether `name` is some version of the logical collection (what a sweep of leftovers drops). */
export function isVersionOf(logical: string, name: string): boolean {
  return name.startsWith(`${logical}__v`) && /^\d+(_\d+)?$/.test(name.slice(logical.length + 3));
}
