import type { ReadDocument } from '@registry/read-store';
import type { QueryCollection } from '@registry/read-side';
import { InvalidInput } from '@registry/shared-kernel';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  /** Documents matching the filter, over all pages. */
  total: number;
}

/**
 * Keyset pagination on (sort field, _id): a page starts after the last document of the previous
 * one, so pages stay consistent while documents are added, unlike skip/limit.
 */
export async function cursorPage<T extends ReadDocument>(
  collection: QueryCollection<T>,
  filter: Record<string, unknown>,
  sort: string,
  { limit = 50, cursor }: { limit?: number; cursor?: string },
  projection: Record<string, 0 | 1> = {},
): Promise<Page<T>> {
  const field = sort.replace(/^-/, '');
  const direction = sort.startsWith('-') ? -1 : 1;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const comparison = direction === 1 ? '$gt' : '$lt';
  const pageFilter = after
    ? { $and: [filter, { $or: [{ [field]: { [comparison]: after.value } }, { [field]: after.value, _id: { [comparison]: after.id } }] }] }
    : filter;
  const [documents, total] = await Promise.all([
    collection.find(pageFilter as never, { sort: { [field]: direction, _id: direction }, limit: limit + 1, projection }).toArray(),
    collection.countDocuments(filter as never),
  ]);
  const items = documents.slice(0, limit) as T[];
  const last = items[items.length - 1] as Record<string, unknown> | undefined;
  const nextCursor = documents.length > limit && last ? encodeCursor(last[field], last._id as string) : null;
  return { items, nextCursor, total };
}

function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): { value: unknown; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof id !== 'string') throw new Error('no id');
    return { value, id };
  } catch {
    throw new InvalidInput('cursor is not one this API returned', [{ field: 'cursor', rule: 'issued-cursor' }]);
  }
}
