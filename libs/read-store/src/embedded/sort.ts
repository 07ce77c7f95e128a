import type { Document, SortSpec } from '../read-store.port';
import { compare, resolve } from './mingo';

interface Keyed<T> {
  document: T;
  keys: unknown[];
}

/**
 * Sorts as MongoDB does. mingo's cursor sort differs on array fields: MongoDB sorts an array by
 * its smallest element ascending and by its largest descending, with an empty array before null;
 * and it treats a missing field as null.
 */
export function sortDocuments<T extends Document>(documents: readonly T[], sort: SortSpec): T[] {
  const order = new SortOrder(sort);
  return documents.map((document) => order.keyed(document)).sort(order.compare).map(({ document }) => document);
}

/**
 * The first `count` of `documents` in `sort` order, holding at most twice that many at a time:
 * once `count` are held, a document that does not come before the last of them is passed over.
 */
export function firstSorted<T extends Document>(documents: Iterable<T>, sort: SortSpec, count: number): T[] {
  const order = new SortOrder(sort);
  const best: Keyed<T>[] = [];
  let last: Keyed<T> | undefined;
  for (const document of documents) {
    const keyed = order.keyed(document);
    if (last && order.compare(keyed, last) >= 0) continue; // ties keep the earlier, as a stable sort does
    best.push(keyed);
    if (best.length >= 2 * count) {
      best.sort(order.compare).length = count;
      last = best[count - 1];
    }
  }
  return best.sort(order.compare).slice(0, count).map(({ document }) => document);
}

class SortOrder {
  private readonly fields: [string, number][];

  constructor(sort: SortSpec) {
    this.fields = Object.entries(sort);
  }

  keyed<T extends Document>(document: T): Keyed<T> {
    return { document, keys: this.fields.map(([path, direction]) => sortKey(resolve(document, path), direction)) };
  }

  readonly compare = (a: Keyed<unknown>, b: Keyed<unknown>): number => {
    for (let i = 0; i < this.fields.length; i++) {
      const order = compare(a.keys[i], b.keys[i]) * this.fields[i][1];
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** mingo's `compare` puts undefined before null, which is where an empty array goes. */
function sortKey(value: unknown, direction: number): unknown {
  if (!Array.isArray(value)) return value ?? null;
  if (value.length === 0) return undefined;
  return value.reduce((best, element) => (compare(element, best) * direction < 0 ? element : best));
}
