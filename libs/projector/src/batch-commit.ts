import { type BulkOperation, type CollectionWrite, isDuplicateKeyError, type ReadStore } from '@registry/read-store';
import { POSITION_FIELD } from './batch-documents';

/**
 * Commits a batch's document writes with its checkpoint write. The documents are handed over to
 * the store (see `CommitOptions`): the batch that made them is done with them.
 *
 * Atomic stores (embedded): one `commit` of everything, so the documents and the checkpoint are
 * kept or lost together.
 *
 * Other stores (MongoDB, no multi-document transactions): the document writes are guarded by
 * `_position` (see `BatchDocuments.writes`) and go first, the checkpoint last. After a crash in
 * between, the batch is applied again from the old checkpoint; its guarded upserts of documents
 * already written fail with a duplicate key, which means "already applied". An ordered bulk write
 * stops at that first failure, so the writes are then retried one by one.
 */
export async function commitBatch(readStore: ReadStore, atomic: boolean, documents: CollectionWrite[], checkpoint: CollectionWrite): Promise<void> {
  if (atomic) return readStore.commit([...documents, checkpoint], HAND_OVER);
  try {
    await readStore.commit(documents, HAND_OVER);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    for (const { collection, operations } of documents) {
      for (const operation of operations) await writeUnlessApplied(readStore, collection, operation);
    }
  }
  await readStore.commit([checkpoint], HAND_OVER);
}

const HAND_OVER = { handOver: true };

async function writeUnlessApplied(readStore: ReadStore, collection: string, operation: BulkOperation): Promise<void> {
  try {
    await readStore.commit([{ collection, operations: [operation] }], HAND_OVER);
  } catch (error) {
    if (!isDuplicateKeyError(error) || !(await alreadyApplied(readStore, collection, operation))) throw error;
  }
}

/** A duplicate key on a unique secondary index is a real error; on the guarded `_id` it is not. */
async function alreadyApplied(readStore: ReadStore, collection: string, operation: BulkOperation): Promise<boolean> {
  if (!('replaceOne' in operation)) return false;
  const { _id, [POSITION_FIELD]: guard } = operation.replaceOne.filter as { _id: string; [POSITION_FIELD]: { $lt: number } };
  const stored = await readStore.collection(collection).findOne({ _id });
  return typeof stored?.[POSITION_FIELD] === 'number' && stored[POSITION_FIELD] >= guard.$lt;
}
