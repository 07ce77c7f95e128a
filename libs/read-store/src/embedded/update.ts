import type { Document, ReadStoreUpdate } from '../read-store.port';
import { ErrorCode, MongoCompatibleError } from './errors';
import { forgetJsonText, type StoredDocument, toJson, toStoredDocument } from './json-documents';
import { $addToSet, $inc, $max, $min, $pull, $push, $set, $unset, isObject, unique } from './mingo';

/**
 * mingo's update operators, called directly: its `update()` builds a fresh operator context on
 * every call, which costs about ten times the update itself.
 */
const OPERATORS = { $set, $inc, $push, $pull, $addToSet, $unset, $max, $min };
type OperatorName = keyof typeof OPERATORS;
const UPDATE_OPERATORS = new Set<string>([...Object.keys(OPERATORS), '$setOnInsert']);

/** Refuses what MongoDB refuses before looking at any document. */
export function assertUpdateDocument(update: Document): void {
  const names = Object.keys(update);
  if (names.length === 0 || !names.every((name) => name.startsWith('$'))) {
    throw new MongoCompatibleError('Update document requires atomic operators', ErrorCode.BadValue);
  }
  const unsupported = names.find((name) => !UPDATE_OPERATORS.has(name));
  if (unsupported) throw new MongoCompatibleError(`Unsupported update operator: ${unsupported}`, ErrorCode.BadValue);
}

export function assertReplacement(replacement: Document): void {
  if (Object.keys(replacement).some((key) => key.startsWith('$'))) {
    throw new MongoCompatibleError('Replacement document must not contain atomic operators', ErrorCode.BadValue);
  }
}

/**
 * Applies `update` to `document` in place and tells whether it changed. `$setOnInsert` applies
 * only when `inserting` (an upsert). Throws MongoDB's errors where mingo would silently skip a
 * field of the wrong type. `document` is a copy or a new document, never a stored one, so a
 * failed update leaves nothing half changed.
 */
export function applyUpdate(document: StoredDocument, update: ReadStoreUpdate, inserting: boolean): boolean {
  let changed = false;
  for (const [name, fields] of Object.entries(privateCopy(update)) as [string, Document][]) {
    if (name === '$setOnInsert' && !inserting) continue;
    const operator = (name === '$setOnInsert' ? '$set' : name) as OperatorName;
    for (const path of Object.keys(fields)) assertApplicable(document, operator, path);
    changed = OPERATORS[operator](fields)(document).length > 0 || changed;
  }
  return changed;
}

/**
 * The document an upsert inserts when nothing matches: the filter's equality fields (and its
 * `_id`, else a generated one), then the update with `$setOnInsert`.
 */
export function upsertDocument(filter: Document, update: ReadStoreUpdate): StoredDocument {
  const { _id, ...fields } = equalityFields(filter);
  const document = toStoredDocument({}, _id);
  forgetJsonText(document);
  if (Object.keys(fields).length > 0) OPERATORS.$set(toJson(fields))(document);
  applyUpdate(document, update, true);
  return document;
}

/** The `_id` an upsert by replacement takes from its filter, if the filter sets one. */
export function filterId(filter: Document): unknown {
  return equalityFields(filter)._id;
}

/** Fields a filter pins to one value (`{a: 1}`, `{a: {$eq: 1}}`, inside `$and`), as MongoDB seeds an upsert. */
function equalityFields(filter: Document, fields: Document = {}): Document {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      for (const clause of condition as Document[]) equalityFields(clause, fields);
    } else if (!key.startsWith('$') && !(condition instanceof RegExp)) {
      if (!isOperatorExpression(condition)) fields[key] = condition;
      else if ('$eq' in condition) fields[key] = condition.$eq;
    }
  }
  return fields;
}

function isOperatorExpression(value: unknown): value is Document {
  return isObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/**
 * A JSON copy of the update, so that the stored document shares nothing with the caller nor, in
 * `updateMany`, with the other documents. `$pull` holds conditions (which may be regular
 * expressions), not values to store, and is kept as it is.
 */
function privateCopy({ $pull, ...values }: ReadStoreUpdate): ReadStoreUpdate {
  const copy: Document = toJson(values);
  // mingo adds `$each` values as given when the array is missing; MongoDB adds each value once.
  for (const value of Object.values(copy.$addToSet ?? {})) {
    if (isObject(value) && Array.isArray(value.$each)) value.$each = unique(value.$each);
  }
  return $pull === undefined ? copy : { ...copy, $pull };
}

const CREATING = new Set<OperatorName>(['$set', '$inc', '$push', '$addToSet', '$max', '$min']);

/** MongoDB's type errors, which mingo does not raise (it leaves such a field as it is). */
function assertApplicable(document: StoredDocument, operator: OperatorName, path: string): void {
  if (path.includes('$')) return; // positional paths are outside the port's subset; mingo rejects `$`
  const target = locate(document, path);
  if (target.blockedBy !== undefined) {
    if (!CREATING.has(operator)) return; // $unset and $pull of a path that cannot exist do nothing
    const { field, parent, value } = target.blockedBy;
    throw new MongoCompatibleError(`Cannot create field '${field}' in element {${parent}: ${JSON.stringify(value)}}`, ErrorCode.PathNotViable);
  }
  const { value } = target;
  if (value === undefined) return;
  if (operator === '$inc' && typeof value !== 'number') {
    throw new MongoCompatibleError(
      `Cannot apply $inc to a value of non-numeric type. {_id: ${JSON.stringify(document._id)}} has the field '${path}' of non-numeric type ${typeName(value)}`,
      ErrorCode.TypeMismatch,
    );
  }
  if ((operator === '$push' || operator === '$addToSet' || operator === '$pull') && !Array.isArray(value)) {
    throw new MongoCompatibleError(
      `Cannot apply ${operator} to non-array field '${path}' of type ${typeName(value)}`,
      ErrorCode.BadValue,
    );
  }
}

interface Located {
  value?: unknown;
  /** The scalar (or array, for a field name) in the way of the path, under the field `parent`. */
  blockedBy?: { field: string; parent: string; value: unknown };
}

/** The value at a dotted path, or what stops the path from being created. */
function locate(document: StoredDocument, path: string): Located {
  let current: unknown = document;
  let parent = '';
  for (const field of path.split('.')) {
    if (current === undefined) return {};
    const traversable = Array.isArray(current) ? /^\d+$/.test(field) : isObject(current);
    if (!traversable) return { blockedBy: { field, parent, value: current } };
    current = (current as Record<string, unknown>)[field];
    parent = field;
  }
  return { value: current };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
