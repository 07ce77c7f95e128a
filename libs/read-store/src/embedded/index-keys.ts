import type { Document, DocumentId } from '../read-store.port';
import { isObject } from './mingo';

/**
 * What a collection keeps in memory of each document: its `_id` and the values at the fields its
 * indexes name, in the document's own shape (an array of subdocuments stays an array of the
 * picked subdocuments), so that mingo evaluates a filter or a sort on these fields over the keys
 * exactly as over the document.
 */
export type DocumentKeys = Document & { _id: DocumentId };

type PathTree = Map<string, PathTree | null>;

/** The fields a collection's indexes name, as the paths kept in each document's keys. */
export class KeyPaths {
  /** No kept path lies under another: an index on `a` keeps `a.b` too. */
  readonly paths: readonly string[];
  private readonly tree: PathTree = new Map();

  constructor(fields: Iterable<string>) {
    const cut = [...new Set([...fields].map(cutAtPosition))];
    this.paths = cut.filter((path) => !cut.some((other) => path.startsWith(`${other}.`)));
    for (const path of this.paths) {
      const parts = path.split('.');
      const leaf = parts.pop()!;
      let node = this.tree;
      for (const part of parts) {
        let child = node.get(part);
        if (!child) node.set(part, (child = new Map()));
        node = child;
      }
      node.set(leaf, null);
    }
  }

  /** Whether every value at `path` is in the keys: `_id`, a kept path or a path under one. */
  covers(path: string): boolean {
    return path === '_id' || this.paths.some((kept) => path === kept || path.startsWith(`${kept}.`));
  }

  /** The document's keys, without `_id` (which the caller stores apart). */
  pick(document: Document): Document {
    return pickTree(document, this.tree) as Document;
  }
}

/**
 * A path with an array position (`a.0.b`) is kept from its field before the position (`a`):
 * picking through arrays keeps every element, so a position would not pick the same values.
 */
function cutAtPosition(path: string): string {
  const parts = path.split('.');
  const position = parts.findIndex((part) => /^\d+$/.test(part));
  return position === -1 ? path : parts.slice(0, Math.max(position, 1)).join('.');
}

function pickTree(value: unknown, tree: PathTree | null): unknown {
  if (tree === null) return value;
  if (Array.isArray(value)) return value.map((element) => pickTree(element, tree));
  // A scalar where a subdocument was expected is kept: a filter may test it (`{a: null}`, `$type`).
  if (!isObject(value)) return value;
  const picked: Document = {};
  for (const [field, subtree] of tree) {
    if (Object.hasOwn(value, field)) picked[field] = pickTree((value as Document)[field], subtree);
  }
  return picked;
}

/**
 * An index of one field for equality: the ids of the documents holding each value there
 * (strings, numbers and booleans; an array field lists each element, at any depth). A single id
 * is kept as is, not in a Set, as most values of an audit's ids and instants are unique.
 */
export class ValueLookup {
  private readonly ids = new Map<unknown, DocumentId | Set<DocumentId>>();
  private readonly parts: string[];

  constructor(readonly path: string) {
    this.parts = path.split('.');
  }

  add(keys: DocumentKeys): void {
    for (const value of this.valuesOf(keys)) {
      const held = this.ids.get(value);
      if (held === undefined) this.ids.set(value, keys._id);
      else if (held instanceof Set) held.add(keys._id);
      else if (held !== keys._id) this.ids.set(value, new Set([held, keys._id]));
    }
  }

  remove(keys: DocumentKeys): void {
    for (const value of this.valuesOf(keys)) {
      const held = this.ids.get(value);
      if (held === keys._id) this.ids.delete(value);
      else if (held instanceof Set && held.delete(keys._id) && held.size === 1) this.ids.set(value, held.values().next().value!);
    }
  }

  /** Ids of the documents holding `value`, a string, a finite number or a boolean. */
  find(value: unknown): Iterable<DocumentId> {
    const held = this.ids.get(value);
    if (held === undefined) return [];
    return held instanceof Set ? held : [held];
  }

  private valuesOf(keys: DocumentKeys): Set<unknown> {
    const values = new Set<unknown>();
    collectScalars(keys, this.parts, 0, values);
    return values;
  }
}

function collectScalars(value: unknown, parts: readonly string[], at: number, into: Set<unknown>): void {
  if (Array.isArray(value)) {
    for (const element of value) collectScalars(element, parts, at, into);
  } else if (at === parts.length) {
    if (isLookupValue(value)) into.add(value);
  } else if (isObject(value)) {
    collectScalars((value as Document)[parts[at]], parts, at + 1, into);
  }
}

/** The values a `ValueLookup` holds: JSON scalars other than null, compared as MongoDB compares them. */
export function isLookupValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
