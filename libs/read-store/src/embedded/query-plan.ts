import type { Document, DocumentId } from '../read-store.port';
import { type KeyPaths, isLookupValue } from './index-keys';
import { isDocumentId } from './json-documents';

/** Whether mingo can evaluate `filter` on the documents' keys alone: every field it names is covered. */
export function coveredBy(filter: Document, paths: KeyPaths): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and' || key === '$or' || key === '$nor') {
      return Array.isArray(condition) && condition.every((clause: Document) => coveredBy(clause, paths));
    }
    if (key.startsWith('$')) return key === '$comment'; // $expr, $where, $jsonSchema may read any field
    return paths.covers(key);
  });
}

/** The ids of the documents holding one of `values` at `path`, or undefined when `path` has no lookup. */
export type IdsByValue = (path: string, values: readonly (string | number | boolean)[]) => Iterable<DocumentId> | undefined;

/**
 * A superset of the ids of the documents `filter` matches, or undefined when nothing narrows it:
 * each top-level conjunct (a field, an `$and` clause, an `$or` whose every branch narrows) that
 * pins an `_id` or a field with a lookup to values gives a set, and the smallest is taken. Its
 * documents must still be tested against the whole filter.
 */
export function candidateIds(filter: Document, idsByValue: IdsByValue): ReadonlySet<DocumentId> | undefined {
  let best: ReadonlySet<DocumentId> | undefined;
  const consider = (ids: ReadonlySet<DocumentId> | undefined) => {
    if (ids && (best === undefined || ids.size < best.size)) best = ids;
  };
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const clause of condition) consider(candidateIds(clause, idsByValue));
    } else if (key === '$or' && Array.isArray(condition)) {
      consider(union(condition.map((clause: Document) => candidateIds(clause, idsByValue))));
    } else if (!key.startsWith('$')) {
      const values = equalityValues(condition);
      if (!values) continue;
      const ids = key === '_id' ? values.filter(isDocumentId) : idsByValue(key, values);
      if (ids) consider(new Set(ids));
    }
  }
  return best;
}

function union(sets: (ReadonlySet<DocumentId> | undefined)[]): ReadonlySet<DocumentId> | undefined {
  if (sets.length === 0 || sets.some((set) => set === undefined)) return undefined;
  const all = new Set<DocumentId>();
  for (const set of sets) for (const id of set!) all.add(id);
  return all;
}

/**
 * The values a condition pins its field to: `v`, `{$eq: v}`, `{$in: [...]}` (other operators
 * beside them only narrow further), when they are lookup values; undefined otherwise (an array or
 * a subdocument matches more than its elements, a null matches missing fields).
 */
function equalityValues(condition: unknown): (string | number | boolean)[] | undefined {
  if (isLookupValue(condition)) return [condition];
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition) || condition instanceof RegExp) return undefined;
  const { $eq, $in } = condition as { $eq?: unknown; $in?: unknown };
  if (isLookupValue($eq)) return [$eq];
  if (Array.isArray($in) && $in.every(isLookupValue)) return $in;
  return undefined;
}
