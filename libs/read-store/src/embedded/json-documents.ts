import { randomBytes, randomInt } from 'node:crypto';
import type { Document, DocumentId } from '../read-store.port';

/** A stored document: JSON only, with its `_id`. */
export type StoredDocument = Document & { _id: DocumentId };

/**
 * The value as it comes back from its JSON text (dates become strings, undefined fields vanish).
 * Everything stored goes through it, so memory always holds what the SQLite file holds.
 */
export function toJson<T>(value: T): T {
  const text = JSON.stringify(value);
  const parsed = JSON.parse(text) as T;
  if (typeof parsed === 'object' && parsed !== null) jsonTexts.set(parsed, text);
  return parsed;
}

/**
 * The JSON text a document is saved as. A document that came out of `toJson` and was not
 * changed since keeps the text it was parsed from, so a replaced document is serialised once.
 */
export function jsonText(document: object): string {
  return jsonTexts.get(document) ?? JSON.stringify(document);
}

/** Texts of documents as `toJson` produced them; an update in place (`$set`…) forgets it. */
const jsonTexts = new WeakMap<object, string>();

/** To call before changing a document in place, so that `jsonText` does not return stale text. */
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

/** A JSON copy of `document` with an `_id`: the given one, else a new ObjectId-like string. */
export function toStoredDocument(document: Document, id: unknown = document._id ?? newObjectId()): StoredDocument {
  if (!isDocumentId(id)) throw new TypeError(`the embedded read store needs _id to be a string or a number, not ${JSON.stringify(id)}`);
  const { _id, ...fields } = document;
  return toJson({ _id: id, ...fields });
}

const processUnique = randomBytes(5).toString('hex');
let counter = randomInt(0x1000000);

/** 24 hex digits laid out like a MongoDB ObjectId: seconds, a per-process random part, a counter. */
function newObjectId(): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(Date.now() / 1000);
  return seconds.toString(16).padStart(8, '0') + processUnique + counter.toString(16).padStart(6, '0');
}
