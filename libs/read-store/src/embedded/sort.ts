import type { Document, SortSpec } from '../read-store.port';
import { compare, resolve } from './mingo';

/**
 * Sorts as MongoDB does. mingo's cursor sort differs on array fields: MongoDB sorts an array by
 * its smallest element ascending and by its largest descending, with an empty array before null;
 * and it treats a missing field as null.
 */
export function sortDocuments<T extends Document>(documents: readonly T[], sort: SortSpec): T[] {
  const fields = Object.entries(sort);
  const keyed = documents.map((document) => ({
    document,
    keys: fields.map(([path, direction]) => sortKey(resolve(document, path), direction)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = compare(a.keys[i], b.keys[i]) * fields[i][1];
      if (order !== 0) return order;
    }
    return 0;
  });
  return keyed.map(({ document }) => document);
}

/** The first `count` of `documents` in `sort` order, holding at most twice that many at a time. */
export function firstSorted<T extends Document>(documents: Iterable<T>, sort: SortSpec, count: number): T[] {
  let best: T[] = [];
  for (const document of documents) {
    best.push(document);
    if (best.length >= 2 * count) best = sortDocuments(best, sort).slice(0, count);
  }
  return sortDocuments(best, sort).slice(0, count);
}

/** mingo's `compare` puts undefined before null, which is where an empty array goes. */
function sortKey(value: unknown, direction: number): unknown {
  if (!Array.isArray(value)) return value ?? null;
  if (value.length === 0) return undefined;
  return value.reduce((best, element) => (compare(element, best) * direction < 0 ? element : best));
}
