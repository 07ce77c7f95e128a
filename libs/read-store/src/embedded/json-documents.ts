import { randomBytes, randomInt } from 'node:crypto';
import type { Document, DocumentId } from '../read-store.port';

/** A stored document: JSON only, with its `_id`. */
export type StoredDocument = Document & { _id: DocumentId };

/**
 * The value as it comes back from its JSON text (dates become strings, undefined fields vanish).
 * Everything stored goes through it, so memory always holds what the SQLite file holds.
 */
export function toJson<T>(value: T): T {
  return fromJsonText(JSON.stringify(value));
}

/**
 * A value the caller hands over (see `ReadStore.commit`): kept as it is when it is already what
 * its JSON text gives back, which spares parsing a copy of every document a projector writes;
 * otherwise as `toJson` gives it.
 */
export function adoptJson<T extends object>(value: T): T {
  const text = JSON.stringify(value);
  if (!isPlainJson(value)) return fromJsonText(text);
  jsonTexts.set(value, text);
  return value;
}

/** The value of a JSON text, which `jsonText` gives back without serialising it again. */
export function fromJsonText<T>(text: string): T {
  const parsed = JSON.parse(text) as T;
  if (typeof parsed === 'object' && parsed !== null) jsonTexts.set(parsed, text);
  return parsed;
}

/** Whether JSON gives `value` back unchanged: plain objects, arrays, strings, finite numbers (not -0), booleans, null. */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false; // a hole is undefined
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false; // a Date, a Map, a class instance
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false; // undefined, a function, a symbol (a bigint does not get here: JSON.stringify throws)
  }
}

/**
 * The JSON text a document is saved as. A document keeps its text (the one it was made from by
 * `toJson`, `adoptJson` or `fromJsonText`, else the first one asked) until a write takes it (see
 * `takeJsonText`), so a written document is serialised once: stored documents are never changed
 * in place.
 */
export function jsonText(document: object): string {
  let text = jsonTexts.get(document);
  if (text === undefined) jsonTexts.set(document, (text = JSON.stringify(document)));
  return text;
}

/**
 * The JSON text of a document about to be saved, which no longer keeps it: a stored document is
 * never serialised again, and the text would live as long as the document, in the cache.
 */
export function takeJsonText(document: object): string {
  const text = jsonText(document);
  jsonTexts.delete(document);
  return text;
}

/** Texts of documents as `toJson` and `adoptJson` made them. */
const jsonTexts = new WeakMap<object, string>();

/** To call before changing a new document in place (an upsert's), so that `jsonText` does not return stale text. */
export function forgetJsonText(document: object): void {
  jsonTexts.delete(document);
}

/** Deep copy of a JSON value; much faster than `structuredClone` for plain data. */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy as T;
}

export function isDocumentId(value: unknown): value is DocumentId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * `document` as stored, with an `_id` (the given one, else a new ObjectId-like string) first: a
 * JSON copy, or, handed over, the document's own fields (see `adoptJson`).
 */
export function toStoredDocument(document: Document, id: unknown = document._id ?? newObjectId(), handOver = false): StoredDocument {
  if (!isDocumentId(id)) throw new TypeError(`the embedded read store needs _id to be a string or a number, not ${JSON.stringify(id)}`);
  const { _id, ...fields } = document;
  const stored = { _id: id, ...fields };
  return handOver ? adoptJson(stored) : toJson(stored);
}

const processUnique = randomBytes(5).toString('hex');
let counter = randomInt(0x1000000);

/** 24 hex digits laid out like a MongoDB ObjectId: seconds, a per-process random part, a counter. */
function newObjectId(): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(Date.now() / 1000);
  return seconds.toString(16).padStart(8, '0') + processUnique + counter.toString(16).padStart(6, '0');
}
